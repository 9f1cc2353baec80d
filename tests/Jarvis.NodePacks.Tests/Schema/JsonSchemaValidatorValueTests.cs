namespace Jarvis.NodePacks.Tests.Schema;

/// <summary>enum, const, numeric bounds, string lengths, arrays and formats.</summary>
public sealed class JsonSchemaValidatorValueTests
{
    [Fact]
    public void Enum_accepts_only_its_members_compared_as_JSON()
    {
        const string schema = """{"enum": ["read", 1, null, {"a": [1]}]}""";
        foreach (var ok in new[] { "\"read\"", "1", "1.0", "null", """{"a": [1]}""" }) Check.Accepts(schema, ok);
        foreach (var bad in new[] { "\"READ\"", "\"1\"", "2", "false", """{"a": [2]}""", "[]" }) Check.RejectsAt(schema, bad, "$");
    }

    [Fact]
    public void Const_accepts_only_its_value()
    {
        Check.Accepts("""{"const": "x"}""", "\"x\"");
        Check.RejectsAt("""{"const": "x"}""", "\"y\"", "$");
        Check.Accepts("""{"const": null}""", "null");
        Check.Rejects("""{"const": null}""", "0");
    }

    [Theory]
    [InlineData("""{"minimum": 0}""", "0", true)]
    [InlineData("""{"minimum": 0}""", "-0.001", false)]
    [InlineData("""{"minimum": 1}""", "0", false)]
    [InlineData("""{"maximum": 10}""", "10", true)]
    [InlineData("""{"maximum": 10}""", "10.5", false)]
    [InlineData("""{"exclusiveMinimum": 0}""", "0", false)]
    [InlineData("""{"exclusiveMinimum": 0}""", "0.001", true)]
    [InlineData("""{"exclusiveMaximum": 10}""", "10", false)]
    [InlineData("""{"exclusiveMaximum": 10}""", "9.99", true)]
    [InlineData("""{"minimum": 0, "maximum": 1}""", "0.5", true)]
    [InlineData("""{"minimum": 0}""", "\"-1\"", true)]
    public void Numeric_bounds(string schema, string instance, bool valid)
    {
        if (valid) Check.Accepts(schema, instance); else Check.RejectsAt(schema, instance, "$");
    }

    [Fact]
    public void String_lengths_count_code_points_not_UTF16_units()
    {
        const string emoji = "\"\\ud83d\\ude00\"";  // one code point, two UTF-16 units
        Check.Accepts("""{"maxLength": 1}""", emoji);
        Check.RejectsAt("""{"minLength": 2}""", emoji, "$");
        Check.Accepts("""{"minLength": 2, "maxLength": 2}""", "\"\\ud83d\\ude00\\u00e9\"");
        Check.RejectsAt("""{"maxLength": 3}""", "\"abcd\"", "$");
        Check.Accepts("""{"minLength": 0}""", "\"\"");
        Check.RejectsAt("""{"minLength": 1}""", "\"\"", "$");
    }

    [Fact]
    public void Items_are_each_checked_at_their_index()
    {
        const string schema = """{"type": "array", "items": {"type": "string"}}""";
        Check.Accepts(schema, "[]");
        Check.Accepts(schema, """["a", "b"]""");
        var errors = Check.Errors(schema, """["a", 1, "c", null]""");
        Assert.Equal(["$[1]", "$[3]"], errors.Select(e => e.Path));
    }

    [Fact]
    public void Item_counts_are_bounded()
    {
        const string schema = """{"minItems": 1, "maxItems": 2}""";
        Check.RejectsAt(schema, "[]", "$");
        Check.Accepts(schema, "[1]");
        Check.Accepts(schema, "[1, 2]");
        Check.RejectsAt(schema, "[1, 2, 3]", "$");
    }

    [Theory]
    [InlineData("https://example.com/a?b=c#d", true)]
    [InlineData("urn:isbn:0451450523", true)]
    [InlineData("mailto:someone@example.com", true)]
    [InlineData("not a uri", false)]
    [InlineData("relative/path", false)]
    [InlineData("", false)]
    public void Format_uri_requires_an_absolute_uri(string text, bool valid)
    {
        var instance = System.Text.Json.JsonSerializer.Serialize(text);
        if (valid) Check.Accepts("""{"type": "string", "format": "uri"}""", instance);
        else Check.RejectsAt("""{"type": "string", "format": "uri"}""", instance, "$");
    }

    [Theory]
    [InlineData("2024-02-29T12:34:56Z", true)]
    [InlineData("2024-02-29T12:34:56.123456+02:00", true)]
    [InlineData("yesterday", false)]
    [InlineData("2024-13-01T00:00:00Z", false)]
    [InlineData("", false)]
    public void Format_date_time_requires_a_timestamp(string text, bool valid)
    {
        var instance = System.Text.Json.JsonSerializer.Serialize(text);
        if (valid) Check.Accepts("""{"format": "date-time"}""", instance);
        else Check.RejectsAt("""{"format": "date-time"}""", instance, "$");
    }

    [Fact]
    public void Formats_apply_to_strings_only() => Check.Accepts("""{"format": "uri"}""", "42");
}
