namespace Jarvis.Api.Tests.Differential;

/// <summary>The values and keys the mutations write: JSON literals, written exactly as they go on the wire.</summary>
internal static class MutationValues
{
    /// <summary>A value of every JSON type, for replacing any field.</summary>
    public static readonly string[] AnyType =
        ["\"s\"", "\"\"", "\"\\u00e9\\ud83d\\ude00 \\n\"", "0", "7", "-3", "2.5", "true", "false", "null", "{}", "{\"k\":1}", "[]", "[\"a\"]", "[1]"];

    /// <summary>For the <c>"type": "integer"</c> fields. <c>1.0</c>, <c>0.0</c> and <c>1e2</c> are integers in JSON
    /// Schema 2019+ terms but not in the draft-04 sense NJsonSchema uses (Newtonsoft reads them as float tokens);
    /// the product follows the same lexical rule, so they are kept: the two validators agree on them.
    /// Integers outside Int64 are left out: Newtonsoft reads them as BigInteger and NJsonSchema 11.6.2 then throws
    /// (InvalidCastException, or JsonReaderException for hundreds of digits) instead of answering; the largest Int64
    /// values stand in for them here, and OracleBlindSpotTests checks the bigger ones by hand.</summary>
    public static readonly string[] Integers =
    [
        "0", "1", "42", "-1", "-0", "2.5", "1.0", "0.0", "-1.5", "1e2", "1E2", "1E+2", "1e-2",
        "9223372036854775807", "-9223372036854775808", "\"3\"", "true", "null",
    ];

    /// <summary>For <c>max_cost</c> (<c>"type": "number", "minimum": 0</c>). Left out, for the same reason as in
    /// <see cref="Integers"/>: integer literals outside Int64; and negatives closer to 0 than 1e-28, which NJsonSchema
    /// compares as a decimal rounded to 0 and so wrongly accepts (OracleBlindSpotTests checks -1e-30).</summary>
    public static readonly string[] Numbers =
    [
        "0", "-0", "0.0", "-0.0", "1.5", "1e2", "1E-3", "-0.5", "-1", "-1e-3", "9223372036854775807", "-9223372036854775808",
        "1e308", "1e400", "-1e400", "1.7976931348623157e308", "\"1\"", "false",
    ];

    public static readonly string[] SideEffectClasses =
    [
        "\"read\"", "\"write\"", "\"irreversible\"", "\"READ\"", "\"Read\"", "\"delete\"", "\"\"", "\" read\"", "\"read \"",
        "\"reversible\"", "1", "null", "[\"read\"]", "{\"read\":true}",
    ];

    public static readonly string[] Booleans = ["true", "false", "\"true\"", "0", "1", "null"];

    /// <summary>For <c>run_context.actor.uri</c> (<c>"format": "uri"</c>).</summary>
    public static readonly string[] Uris =
    [
        "\"https://example.com/users/u-1\"", "\"http://[::1]:8080/x?y=1#z\"", "\"urn:isbn:0451450523\"",
        "\"mailto:someone@example.com\"", "\"file:///tmp/x\"", "\"ftp://ftp.example.com/a b\"", "\"HTTPS://EXAMPLE.COM\"",
        "\"\"", "\" \"", "\"not a uri\"", "\"relative/path\"", "\"example.com\"", "\"http://\"", "\"://missing-scheme\"",
        "\"http://exa mple.com\"", "\"http://[::1\"", "\"1http://example.com\"", "\"https://ex\u00e4mple.com/\u00fc\"",
        "1", "null", "{}",
    ];

    /// <summary>For the <c>allowed_node_type_ids</c> / <c>denied_node_type_ids</c> arrays of strings.</summary>
    public static readonly string[] StringArrays =
        ["[]", "[\"a\",\"b\"]", "[\"\"]", "[1]", "[null]", "[\"a\",2]", "[[]]", "[{}]", "[true]", "\"a\"", "{}", "null"];

    /// <summary>Objects nested 20 deep, well inside the service's 64-level limit.</summary>
    private static readonly string Deep = string.Concat(Enumerable.Repeat("{\"a\":", 20)) + "[1]" + new string('}', 20);

    /// <summary>For objects with <c>"additionalProperties": true</c> (inputs, identity, policy, budgets).</summary>
    public static readonly string[] FreeObjects =
        [Deep, "{}", "{\"echo\":\"x\",\"extra\":1}", "{\"any\":{\"deep\":[1,null,{\"x\":\"y\"}]}}", "{\"echo\":1}", "[]", "null", "\"x\"", "0"];

    /// <summary>Keys for extension maps: <c>^[A-Za-z0-9][A-Za-z0-9_.-]*\.[A-Za-z0-9_.-]+$</c>.</summary>
    public static readonly string[] ExtensionKeys =
    [
        // good
        "com.example.k", "a.b", "A1.b2", "a_b.c-d", "a..b", "1.2", "a.b.c.d", "x-y.z_w", "a.-", "a._", "a-.b",
        // bad: no dot, leading dot / underscore / dash, empty parts, spaces, non-ASCII, other punctuation
        "nodot", ".leading", "_leading.x", "-leading.x", "com.example.", "", ".", "..", "com example.key",
        "com.example key", " com.example.k", "com.example.k ", "\u00fcn\u00efcode.key", "com.ex\u00e4mple",
        "com.example.\u043a\u043b\u044e\u0447", "com.\ud83d\ude00", "a.b/c", "a.b:c", "a.b\u0000", "a.b\tc",
        // not "a.b\n": NJsonSchema's .NET regex lets '$' match before a final newline; ECMA-262 (and the service)
        // does not, so OracleBlindSpotTests checks it by hand
    ];
}
