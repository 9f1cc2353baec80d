using Jarvis.NodePacks.Core;

namespace Jarvis.NodePacks.Tests.Core;

public sealed class Uuid4NodeTests
{
    [Fact]
    public async Task Returns_a_version_4_RFC_4122_uuid()
    {
        var text = (await Nodes.RunAsync(Uuid4Node.Definition, "{}"))["uuid4"]!.GetValue<string>();

        Assert.True(Guid.TryParseExact(text, "D", out _), $"'{text}' is not a hyphenated GUID");
        Assert.Equal('4', text[14]);                 // version nibble
        Assert.Contains(text[19], "89ab");           // RFC 4122 variant
        Assert.Equal(text.ToLowerInvariant(), text);
    }

    [Fact]
    public async Task Each_call_returns_a_different_uuid()
    {
        var seen = new HashSet<string>();
        for (var i = 0; i < 200; i++)
            seen.Add((await Nodes.RunAsync(Uuid4Node.Definition, "{}"))["uuid4"]!.GetValue<string>());

        Assert.Equal(200, seen.Count);
    }
}
