using Jarvis.NodePacks.Core;

namespace Jarvis.NodePacks.Tests.Core;

public sealed class EchoNodeTests
{
    [Theory]
    [InlineData("hello")]
    [InlineData("")]
    [InlineData("h\u00e9llo \ud83d\ude00 \"quoted\"\n")]
    public async Task Returns_its_echo_input(string text)
    {
        var outputs = await Nodes.RunAsync(EchoNode.Definition, new System.Text.Json.Nodes.JsonObject { ["echo"] = text }.ToJsonString());

        Assert.Equal(text, outputs["echo"]!.GetValue<string>());
        Assert.Single(outputs);
    }

    [Fact]
    public async Task Output_is_a_copy_not_the_input_node()
    {
        var inputs = Nodes.JsonObject("""{"echo":"x"}""");
        var outputs = await EchoNode.Definition.Handler!(inputs, Nodes.Context(EchoNode.Definition), default);

        Assert.NotSame(inputs["echo"], outputs["echo"]);
        Assert.Same(outputs, outputs["echo"]!.Parent);
        Assert.Equal("x", inputs["echo"]!.GetValue<string>());
    }
}
