namespace Jarvis.NodePacks.Tests.Schema;

/// <summary>Error paths are JSON paths from <c>$</c>: dotted plain names, bracketed indexes, quoted other names.</summary>
public sealed class JsonSchemaValidatorPathTests
{
    [Fact]
    public void Nested_properties_and_indexes_make_a_dotted_path() =>
        Check.RejectsAt("""{"properties": {"a": {"properties": {"b": {"items": {"type": "string"}}}}}}""",
            """{"a": {"b": [1]}}""", "$.a.b[0]");

    [Theory]
    [InlineData("a b", "$[\"a b\"]")]
    [InlineData("a.b", "$[\"a.b\"]")]
    [InlineData("1x", "$[\"1x\"]")]
    [InlineData("", "$[\"\"]")]
    [InlineData("a\"b", "$[\"a\\u0022b\"]")]
    [InlineData("snake_case9", "$.snake_case9")]
    [InlineData("_x", "$._x")]
    public void Names_that_are_not_plain_identifiers_are_quoted(string name, string path)
    {
        var instance = new System.Text.Json.Nodes.JsonObject { [name] = 1 }.ToJsonString();
        Check.RejectsAt("""{"additionalProperties": false}""", instance, path);
    }

    [Fact]
    public void Quoted_names_nest_with_the_rest_of_the_path() =>
        Check.RejectsAt("""{"properties": {"x y": {"items": {"required": ["z"]}}}}""", """{"x y": [{}, {}]}""", "$[\"x y\"][1].z");
}
