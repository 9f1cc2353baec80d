using System.Globalization;
using Jarvis.NodePacks.Core;

namespace Jarvis.NodePacks.Tests.Core;

public sealed class TimeNowNodeTests
{
    [Fact]
    public async Task Returns_now_as_an_ISO_8601_UTC_timestamp()
    {
        var before = DateTimeOffset.UtcNow;
        var text = (await Nodes.RunAsync(TimeNowNode.Definition, "{}"))["time"]!.GetValue<string>();
        var after = DateTimeOffset.UtcNow;

        Assert.EndsWith("Z", text);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$", text);
        var time = DateTimeOffset.ParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal);
        Assert.Equal(TimeSpan.Zero, time.Offset);
        // A generous window: this checks the clock and the time zone, not speed.
        Assert.InRange(time, before.AddMinutes(-1), after.AddMinutes(1));
    }
}
