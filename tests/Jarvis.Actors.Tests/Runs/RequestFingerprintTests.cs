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

    [Theory]
    [InlineData("1", "1.0")]
    [InlineData("1", "1e0")]
    [InlineData("1", "10e-1")]
    [InlineData("1", "0.1e1")]
    [InlineData("1", "1E+0")]
    [InlineData("1", "1.000e-0")]
    [InlineData("-0", "0")]
    [InlineData("-0.0e5", "0")]
    [InlineData("0.000", "0e-7")]
    [InlineData("0.1", "0.10")]
    [InlineData("1e2", "100")]
    [InlineData("-1.5", "-15e-1")]
    [InlineData("0.00123", "1.23e-3")]
    [InlineData("123456789012345678901234567890", "1.2345678901234567890123456789e29")]
    [InlineData("1e400", "10e399")]
    [InlineData("1e-400", "0.1e-399")]
    [InlineData("10e99999999999999999999", "1e100000000000000000000")]
    public void Equal_numbers_written_differently_have_one_fingerprint(string one, string other)
    {
        Assert.Equal(Of(Ref, $$"""{"a":{{one}}}"""), Of(Ref, $$"""{"a":{{other}}}"""));
        Assert.Equal(Of(Ref, $$"""{"a":[{"b":[{{one}}]}]}"""), Of(Ref, $$"""{"a":[{"b":[{{other}}]}]}"""));
    }

    [Theory]
    [InlineData("1", "1.5")]
    [InlineData("1", "-1")]
    [InlineData("1", "10")]
    [InlineData("0.1", "0.01")]
    [InlineData("12345678901234567890", "12345678901234567891")]
    [InlineData("123456789012345678901234567890", "123456789012345678901234567891")]
    [InlineData("0.1", "0.1000000000000000000001")]
    [InlineData("1e400", "1e401")]
    [InlineData("1e400", "-1e400")]
    [InlineData("1e-400", "0")]
    [InlineData("1e99999999999999999999", "1e99999999999999999998")]
    [InlineData("15", "1.5")]
    public void Different_numbers_have_different_fingerprints(string one, string other)
    {
        Assert.NotEqual(Of(Ref, $$"""{"a":{{one}}}"""), Of(Ref, $$"""{"a":{{other}}}"""));
        Assert.NotEqual(Of(Ref, $$"""{"a":[{"b":[{{one}}]}]}"""), Of(Ref, $$"""{"a":[{"b":[{{other}}]}]}"""));
    }

    [Fact]
    public void A_number_built_in_process_fingerprints_like_the_same_number_parsed()
    {
        var built = new JsonObject { ["a"] = 1, ["b"] = 2.5, ["c"] = new JsonArray(100m, -0.0) };

        Assert.Equal(Of(Ref, """{"a":1.0,"b":25e-1,"c":[1e2,0]}"""), RequestFingerprint.Of(JsonNode.Parse(Ref)!, built));
    }

    [Fact]
    public void Parsed_numbers_are_fingerprinted_without_allocating()
    {
        // Every execute is fingerprinted on a request thread; the same shape with booleans is the baseline.
        var withNumbers = BytesAllocatedBy("""{"a":[1,-0.5,1e400,12345678901234567890.000e-3],"b":{"c":0.000}}""");
        var withBooleans = BytesAllocatedBy("""{"a":[true,true,true,true],"b":{"c":true}}""");

        Assert.Equal(withBooleans, withNumbers);
    }

    private static long BytesAllocatedBy(string inputs)
    {
        var nodeTypeRef = JsonNode.Parse(Ref)!;
        var parsed = JsonNode.Parse(inputs)!;
        RequestFingerprint.Of(nodeTypeRef, parsed); // the DOM materialises on first read
        var before = GC.GetAllocatedBytesForCurrentThread();
        RequestFingerprint.Of(nodeTypeRef, parsed);
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Fact]
    public void The_node_type_ref_is_part_of_the_fingerprint() =>
        Assert.NotEqual(Of(Ref, "{}"), Of("""{"node_type_id":"jarvis.core.echo","version":"0.3.9"}""", "{}"));

    [Fact]
    public void Inputs_and_ref_cannot_trade_content() =>
        Assert.NotEqual(Of("""{"a":1}""", """{"b":2}"""), Of("""{"a":1,"b":2}""", "{}"));
}
