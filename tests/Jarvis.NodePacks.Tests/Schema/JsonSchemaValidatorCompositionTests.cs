namespace Jarvis.NodePacks.Tests.Schema;

/// <summary>allOf / anyOf / oneOf and local <c>$ref</c>.</summary>
public sealed class JsonSchemaValidatorCompositionTests
{
    [Fact]
    public void AllOf_requires_every_subschema()
    {
        const string schema = """{"allOf": [{"type": "integer"}, {"minimum": 5}]}""";
        Check.Accepts(schema, "7");
        Check.Rejects(schema, "3");
        Check.Rejects(schema, "7.5");
    }

    [Fact]
    public void AnyOf_requires_at_least_one_subschema()
    {
        const string schema = """{"anyOf": [{"type": "string"}, {"minimum": 5}]}""";
        Check.Accepts(schema, "\"x\"");
        Check.Accepts(schema, "6");
        Check.RejectsAt(schema, "4", "$");
    }

    [Fact]
    public void OneOf_requires_exactly_one_subschema()
    {
        const string schema = """{"oneOf": [{"type": "integer"}, {"minimum": 5}]}""";
        Check.Accepts(schema, "3");      // integer only
        Check.Accepts(schema, "5.5");    // minimum only
        Check.RejectsAt(schema, "7", "$");   // both
        Check.RejectsAt(schema, "2.5", "$"); // neither
    }

    [Fact]
    public void Local_refs_resolve_into_defs_and_definitions()
    {
        const string schema = """
            {"type": "object",
             "properties": {"a": {"$ref": "#/$defs/positive"}, "b": {"$ref": "#/definitions/name"}},
             "$defs": {"positive": {"type": "integer", "minimum": 1}},
             "definitions": {"name": {"type": "string", "minLength": 1}}}
            """;
        Check.Accepts(schema, """{"a": 1, "b": "x"}""");
        Check.RejectsAt(schema, """{"a": 0}""", "$.a");
        Check.RejectsAt(schema, """{"b": ""}""", "$.b");
    }

    [Fact]
    public void A_ref_may_be_the_root_schema_and_json_pointer_escapes_are_decoded()
    {
        const string schema = """{"$ref": "#/$defs/a~1b~0c", "$defs": {"a/b~c": {"type": "boolean"}}}""";
        Check.Accepts(schema, "true");
        Check.RejectsAt(schema, "1", "$");
    }

    [Fact]
    public void A_recursive_ref_validates_a_tree_of_any_depth()
    {
        const string tree = """
            {"$ref": "#/$defs/node",
             "$defs": {"node": {"type": "object", "required": ["value"], "additionalProperties": false,
                                "properties": {"value": {"type": "integer"},
                                               "children": {"type": "array", "items": {"$ref": "#/$defs/node"}}}}}}
            """;
        Check.Accepts(tree, """{"value": 1, "children": [{"value": 2}, {"value": 3, "children": [{"value": 4, "children": []}]}]}""");
        Check.RejectsAt(tree, """{"value": 1, "children": [{"value": 2}, {"value": 3, "children": [{"value": "4"}]}]}""",
            "$.children[1].children[0].value");
        Check.RejectsAt(tree, """{"value": 1, "children": [{"children": []}]}""", "$.children[0].value");
    }

    [Theory]
    [InlineData("#/$defs/missing")]
    [InlineData("other.schema.json")]
    [InlineData("https://example.com/schema.json#/x")]
    public void Unresolvable_or_remote_refs_do_not_compile(string reference) =>
        Assert.Throws<ArgumentException>(() =>
            Jarvis.NodePacks.Schema.JsonSchemaValidator.Compile("{\"$ref\": \"" + reference + "\", \"$defs\": {}}"));
}
