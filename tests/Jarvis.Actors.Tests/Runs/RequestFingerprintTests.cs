using System.Text.Json.Nodes;
using Jarvis.Actors.Runs;

namespace Jarvis.Actors.Tests.Runs;

public sealed class RequestFingerprintTests
{
    private static UInt128 Of(string nodeTypeRef, string inputs) => RequestFingerprint.Of(JsonNode.Parse(nodeTypeRef)!, JsonNode.Parse(inputs)!);

    private const string Ref = """{"node_type_id":"jarvis.core.echo","version":"0.3.8"}""";

    [Theory]
    [InlineData("""{"a":1,"b":{"x":[1,2],"y":"z"}}""", """{"b":{"y":"z","x":[1,2]},"a":1}""")]
    [InlineData("""{"a":"A"}""", """{"a":"\u0041"}""")]
    [InlineData("""{ "a" : [ true , null ] }""", """{"a":[true,null]}""")]
    public void Same_content_written_differently_has_one_fingerprint(string one, string other) =>
        Assert.Equal(Of(Ref, one), Of(Ref, other));

    [Theory]
    [InlineData("""{"a":1}""", """{"a":2}""")]
    [InlineData("""{"a":[1,2]}""", """{"a":[2,1]}""")]
    [InlineData("""{"a":"1"}""", """{"a":1}""")]
    [InlineData("""{"a":{}}""", """{"a":[]}""")]
    [InlineData("""{"a":null}""", """{}""")]
    [InlineData("""{"ab":""}""", """{"a":"b"}""")]
    public void Different_content_has_different_fingerprints(string one, string other) =>
        Assert.NotEqual(Of(Ref, one), Of(Ref, other));

    [Fact]
    public void The_node_type_ref_is_part_of_the_fingerprint() =>
        Assert.NotEqual(Of(Ref, "{}"), Of("""{"node_type_id":"jarvis.core.echo","version":"0.3.9"}""", "{}"));

    [Fact]
    public void Inputs_and_ref_cannot_trade_content() =>
        Assert.NotEqual(Of("""{"a":1}""", """{"b":2}"""), Of("""{"a":1,"b":2}""", "{}"));
}
