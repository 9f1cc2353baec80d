using Jarvis.NodePacks.Schema;

namespace Jarvis.NodePacks.Tests.Schema;

/// <summary>What the validator cannot check it refuses to compile, and its patterns follow ECMA-262.</summary>
public sealed class JsonSchemaValidatorStrictnessTests
{
    [Theory]
    [InlineData("""{"type": "string", "pattern": "^a"}""", "pattern")]
    [InlineData("""{"not": {"type": "string"}}""", "not")]
    [InlineData("""{"type": "array", "uniqueItems": true}""", "uniqueItems")]
    [InlineData("""{"properties": {"n": {"type": "number", "multipleOf": 2}}}""", "multipleOf")]
    public void A_keyword_it_would_skip_makes_the_schema_refused_naming_it(string schema, string keyword)
    {
        var error = Assert.Throws<ArgumentException>(() => JsonSchemaValidator.Compile(schema));
        Assert.Contains(keyword, error.Message);
    }

    [Fact]
    public void Annotations_are_accepted_and_change_nothing()
    {
        const string schema = """{"title": "T", "description": "d", "$comment": "c", "default": 1, "examples": [1], "type": "integer"}""";
        Check.Accepts(schema, "1");
        Check.Rejects(schema, "\"1\"");
    }

    [Theory]
    [InlineData("a.b", true)]
    [InlineData("a.b\n", false)]
    [InlineData("a.b\n\n", false)]
    public void A_final_dollar_is_the_end_of_the_name_not_of_its_last_line(string key, bool accepted)
    {
        const string schema = """{"type": "object", "patternProperties": {"^[a-z]+\\.[a-z]+$": {}}, "additionalProperties": false}""";
        var instance = new System.Text.Json.Nodes.JsonObject { [key] = 1 }.ToJsonString();
        if (accepted) Check.Accepts(schema, instance);
        else Check.Rejects(schema, instance);
    }

    [Fact]
    public void An_escaped_final_dollar_is_a_literal_dollar()
    {
        const string schema = """{"type": "object", "patternProperties": {"^cost\\$$": {}}, "additionalProperties": false}""";
        Check.Accepts(schema, """{"cost$": 1}""");
        Check.Rejects(schema, """{"cost": 1}""");
    }
}
