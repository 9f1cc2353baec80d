namespace Jarvis.NodePacks.Tests.Schema;

public sealed class JsonSchemaValidatorTypeTests
{
    [Theory]
    [InlineData("object", "{}")]
    [InlineData("array", "[]")]
    [InlineData("string", "\"\"")]
    [InlineData("number", "2.5")]
    [InlineData("number", "3")]
    [InlineData("number", "-1e3")]
    [InlineData("integer", "3")]
    [InlineData("integer", "-0")]
    [InlineData("integer", "9223372036854775807")]
    [InlineData("boolean", "false")]
    [InlineData("null", "null")]
    public void Each_type_accepts_its_values(string type, string instance) =>
        Check.Accepts($$"""{"type": "{{type}}"}""", instance);

    [Theory]
    [InlineData("object", "[]")]
    [InlineData("object", "null")]
    [InlineData("array", "{}")]
    [InlineData("string", "1")]
    [InlineData("number", "\"1\"")]
    [InlineData("number", "true")]
    [InlineData("integer", "2.5")]
    [InlineData("integer", "1.0")]
    [InlineData("integer", "1e2")]
    [InlineData("integer", "\"3\"")]
    [InlineData("boolean", "0")]
    [InlineData("boolean", "\"true\"")]
    [InlineData("null", "0")]
    [InlineData("null", "{}")]
    public void Each_type_rejects_other_values(string type, string instance) =>
        Check.RejectsAt($$"""{"type": "{{type}}"}""", instance, "$");

    [Theory]
    [InlineData("\"a\"", true)]
    [InlineData("null", true)]
    [InlineData("7", true)]
    [InlineData("7.5", false)]
    [InlineData("{}", false)]
    [InlineData("[]", false)]
    public void A_type_array_accepts_any_of_its_types(string instance, bool valid)
    {
        const string schema = """{"type": ["string", "null", "integer"]}""";
        if (valid) Check.Accepts(schema, instance); else Check.RejectsAt(schema, instance, "$");
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("null")]
    [InlineData("[1, \"a\"]")]
    public void No_type_and_the_true_subschema_accept_anything(string instance)
    {
        Check.Accepts("{}", instance);
        Check.Accepts("""{"properties": {"a": true}}""", $$"""{"a": {{instance}}}""");
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("null")]
    [InlineData("0")]
    public void The_false_subschema_accepts_nothing(string instance)
    {
        Check.RejectsAt("""{"properties": {"a": false}}""", $$"""{"a": {{instance}}}""", "$.a");
        Check.Accepts("""{"properties": {"a": false}}""", "{}");
    }

    [Fact]
    public void A_root_schema_must_be_an_object() =>
        Assert.Throws<ArgumentException>(() => Jarvis.NodePacks.Schema.JsonSchemaValidator.Compile("true"));

    [Fact]
    public void An_unknown_type_name_does_not_compile() =>
        Assert.Throws<ArgumentException>(() => Jarvis.NodePacks.Schema.JsonSchemaValidator.Compile("""{"type": "int"}"""));
}
