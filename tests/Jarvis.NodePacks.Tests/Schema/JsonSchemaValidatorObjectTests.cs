namespace Jarvis.NodePacks.Tests.Schema;

public sealed class JsonSchemaValidatorObjectTests
{
    private const string Person = """
        {"type": "object", "required": ["name"],
         "properties": {"name": {"type": "string"}, "age": {"type": "integer", "minimum": 0}}}
        """;

    [Fact]
    public void Properties_are_checked_against_their_schemas()
    {
        Check.Accepts(Person, """{"name": "a", "age": 3}""");
        Check.RejectsAt(Person, """{"name": "a", "age": "3"}""", "$.age");
        Check.RejectsAt(Person, """{"name": 1}""", "$.name");
    }

    [Fact]
    public void Required_properties_must_be_present_but_may_be_any_value_the_schema_allows()
    {
        Check.RejectsAt(Person, """{"age": 3}""", "$.name");
        Check.RejectsAt("""{"required": ["a", "b"]}""", """{"a": null}""", "$.b");
        Check.Accepts("""{"required": ["a"]}""", """{"a": null}""");
    }

    [Fact]
    public void Every_violation_is_reported()
    {
        var errors = Check.Errors(Person, """{"age": -1}""");
        Assert.Contains(errors, e => e.Path == "$.name");
        Assert.Contains(errors, e => e.Path == "$.age");
    }

    [Fact]
    public void Additional_properties_are_allowed_unless_forbidden()
    {
        Check.Accepts(Person, """{"name": "a", "other": 1}""");
        const string closed = """{"properties": {"a": {}}, "additionalProperties": false}""";
        Check.Accepts(closed, """{"a": 1}""");
        Check.RejectsAt(closed, """{"a": 1, "b": 2}""", "$.b");
    }

    [Fact]
    public void An_additional_properties_schema_checks_the_other_properties_only()
    {
        const string schema = """{"properties": {"a": {"type": "string"}}, "additionalProperties": {"type": "integer"}}""";
        Check.Accepts(schema, """{"a": "s", "b": 1, "c": 2}""");
        Check.RejectsAt(schema, """{"a": "s", "b": "x"}""", "$.b");
        Check.RejectsAt(schema, """{"a": 1}""", "$.a");
    }

    [Fact]
    public void Pattern_properties_check_matching_names_and_exempt_them_from_additional_properties()
    {
        const string extensions = """
            {"type": "object", "patternProperties": {"^[A-Za-z0-9][A-Za-z0-9_.-]*\\.[A-Za-z0-9_.-]+$": {}},
             "additionalProperties": false}
            """;
        Check.Accepts(extensions, """{"com.example.k": {"any": [1]}, "a.b": null}""");
        Check.RejectsAt(extensions, """{"nodot": 1}""", "$.nodot");
        Check.RejectsAt(extensions, """{"_x.y": 1}""", "$[\"_x.y\"]");

        const string typed = """{"patternProperties": {"^n_": {"type": "number"}, "^s_": {"type": "string"}}}""";
        Check.Accepts(typed, """{"n_a": 1, "s_b": "x", "other": true}""");
        Check.RejectsAt(typed, """{"n_a": "1"}""", "$.n_a");
    }

    [Fact]
    public void A_name_matching_several_patterns_must_satisfy_each() =>
        Check.Rejects("""{"patternProperties": {"^a": {"type": "integer"}, "b$": {"minimum": 10}}}""", """{"ab": 5}""");

    [Fact]
    public void Object_keywords_ignore_non_objects() =>
        Check.Accepts("""{"required": ["a"], "additionalProperties": false}""", "[1]");
}
