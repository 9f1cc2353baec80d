using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Jarvis.NodePacks.Schema;

/// <summary>
/// A JSON Schema subset compiled once and evaluated without allocation on success:
/// type, properties, required, additionalProperties, patternProperties, enum, const,
/// minimum/maximum (+exclusive), minLength/maxLength, items, minItems/maxItems,
/// format uri/date-time, allOf/anyOf/oneOf and local <c>$ref</c> (<c>#/$defs/x</c>, <c>#/definitions/x</c>).
/// It is the one mechanism behind the request contract and node input/output checks.
/// </summary>
public sealed class JsonSchemaValidator
{
    private readonly SchemaNode _root;

    private JsonSchemaValidator(SchemaNode root) => _root = root;

    public static JsonSchemaValidator Compile(JsonObject schema) => new(new SchemaCompiler(schema).Compile(schema));

    public static JsonSchemaValidator Compile(string schemaJson) =>
        Compile(JsonNode.Parse(schemaJson) as JsonObject ?? throw new ArgumentException("a schema must be a JSON object"));

    public bool IsValid(JsonNode? instance) => _root.Validate(instance, null, null);

    /// <summary>Adds every violation to <paramref name="errors"/>; true when there is none. Paths are only
    /// built when something is wrong: the valid case walks the instance once and allocates nothing.</summary>
    public bool Validate(JsonNode? instance, List<SchemaError> errors) =>
        _root.Validate(instance, null, null) || _root.Validate(instance, "$", errors);

    private static readonly HashSet<string> Keywords =
    [
        "type", "properties", "required", "patternProperties", "additionalProperties", "enum", "const",
        "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "minItems", "maxItems",
        "items", "format", "allOf", "anyOf", "oneOf", "$ref", "$defs", "definitions",
        // annotations: meaningful to readers, nothing to check
        "title", "description", "$schema", "$id", "$comment", "default", "examples", "readOnly", "writeOnly", "deprecated",
    ];

    private sealed class SchemaCompiler(JsonObject root)
    {
        private readonly Dictionary<string, SchemaNode> _refs = new(StringComparer.Ordinal);

        public SchemaNode Compile(JsonNode? schema)
        {
            if (schema is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
                return v.GetValue<bool>() ? SchemaNode.Anything : SchemaNode.Nothing;
            if (schema is not JsonObject s) throw new ArgumentException("a schema must be an object or a boolean");
            if (s["$ref"] is JsonValue r) return Resolve(r.GetValue<string>());
            // A keyword this validator would skip must not pass for checked: refuse the schema instead.
            if (s.Select(p => p.Key).FirstOrDefault(k => !Keywords.Contains(k)) is { } unsupported)
                throw new ArgumentException($"unsupported JSON Schema keyword '{unsupported}'");

            var node = new SchemaNode();
            node.Types = ParseTypes(s["type"]);
            if (s["properties"] is JsonObject props)
                foreach (var (name, sub) in props) node.Properties[name] = Compile(sub);
            if (s["required"] is JsonArray req) node.Required = req.Select(x => x!.GetValue<string>()).ToArray();
            if (s["patternProperties"] is JsonObject pats)
                node.Patterns = pats.Select(p => (EcmaRegex(p.Key), Compile(p.Value))).ToArray();
            if (s.ContainsKey("additionalProperties")) node.Additional = Compile(s["additionalProperties"]);
            if (s["enum"] is JsonArray en) node.Enum = en.Select(x => x?.DeepClone()).ToArray();
            if (s.ContainsKey("const")) node.Enum = [s["const"]?.DeepClone()];
            node.Minimum = Number(s["minimum"]);
            node.Maximum = Number(s["maximum"]);
            node.ExclusiveMinimum = Number(s["exclusiveMinimum"]);
            node.ExclusiveMaximum = Number(s["exclusiveMaximum"]);
            node.MinLength = (int?)Number(s["minLength"]);
            node.MaxLength = (int?)Number(s["maxLength"]);
            node.MinItems = (int?)Number(s["minItems"]);
            node.MaxItems = (int?)Number(s["maxItems"]);
            if (s.ContainsKey("items")) node.Items = Compile(s["items"]);
            node.Format = s["format"]?.GetValue<string>();
            node.AllOf = List(s["allOf"]);
            node.AnyOf = List(s["anyOf"]);
            node.OneOf = List(s["oneOf"]);
            return node;
        }

        /// <summary>JSON Schema patterns are ECMA-262, where a final <c>$</c> means end of input; in .NET it also
        /// matches before a trailing newline, so it becomes <c>\z</c>.</summary>
        private static Regex EcmaRegex(string pattern)
        {
            var backslashes = 0;
            for (var i = pattern.Length - 2; i >= 0 && pattern[i] == '\\'; i--) backslashes++;
            var anchored = pattern.EndsWith('$') && backslashes % 2 == 0;
            return new Regex(anchored ? pattern[..^1] + "\\z" : pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant);
        }

        private SchemaNode[]? List(JsonNode? list) => list is JsonArray a ? a.Select(Compile).ToArray() : null;

        private SchemaNode Resolve(string reference)
        {
            if (_refs.TryGetValue(reference, out var known)) return known;
            var target = reference.StartsWith("#/", StringComparison.Ordinal)
                ? reference[2..].Split('/').Aggregate<string, JsonNode?>(root, (n, part) => n?[part.Replace("~1", "/").Replace("~0", "~")])
                : null;
            if (target is null) throw new ArgumentException($"unresolvable $ref '{reference}' (only local references are supported)");
            var proxy = new SchemaNode { Delegate = null };
            _refs[reference] = proxy; // registered before compiling so recursive schemas terminate
            proxy.Delegate = Compile(target);
            return proxy;
        }

        /// <summary>Schemas built in code hold CLR numbers (int, long, double), parsed ones JsonElements.</summary>
        private static decimal? Number(JsonNode? n) => n is JsonValue v
            ? v.TryGetValue<JsonElement>(out var e) ? e.GetDecimal() : decimal.Parse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)
            : null;

        private static JsonTypes ParseTypes(JsonNode? type) => type switch
        {
            null => JsonTypes.Any,
            JsonArray a => a.Aggregate(JsonTypes.None, (acc, t) => acc | ParseType(t!.GetValue<string>())),
            _ => ParseType(type.GetValue<string>()),
        };

        private static JsonTypes ParseType(string name) => name switch
        {
            "object" => JsonTypes.Object,
            "array" => JsonTypes.Array,
            "string" => JsonTypes.String,
            "number" => JsonTypes.Number | JsonTypes.Integer,
            "integer" => JsonTypes.Integer,
            "boolean" => JsonTypes.Boolean,
            "null" => JsonTypes.Null,
            _ => throw new ArgumentException($"unknown JSON Schema type '{name}'"),
        };
    }

    [Flags]
    private enum JsonTypes
    {
        None = 0, Object = 1, Array = 2, String = 4, Number = 8, Integer = 16, Boolean = 32, Null = 64,
        Any = Object | Array | String | Number | Integer | Boolean | Null,
    }

    private sealed class SchemaNode
    {
        public static readonly SchemaNode Anything = new();
        public static readonly SchemaNode Nothing = new() { Types = JsonTypes.None };

        public SchemaNode? Delegate;
        public JsonTypes Types = JsonTypes.Any;
        public readonly Dictionary<string, SchemaNode> Properties = new(StringComparer.Ordinal);
        public string[] Required = [];
        public (Regex Pattern, SchemaNode Schema)[] Patterns = [];
        public SchemaNode? Additional;
        public JsonNode?[]? Enum;
        public decimal? Minimum, Maximum, ExclusiveMinimum, ExclusiveMaximum;
        public int? MinLength, MaxLength, MinItems, MaxItems;
        public SchemaNode? Items;
        public string? Format;
        public SchemaNode[]? AllOf, AnyOf, OneOf;

        public bool Validate(JsonNode? value, string? path, List<SchemaError>? errors)
        {
            if (Delegate is not null) return Delegate.Validate(value, path, errors);
            var kind = KindOf(value);
            // Integer-ness is only worth reading when the schema wants an integer and not any number.
            if (kind == JsonTypes.Number && (Types & JsonTypes.Number) == 0 && IsInteger((JsonValue)value!)) kind = JsonTypes.Integer;
            if ((Types & kind) == 0) return Fail(errors, path, $"must be {Describe(Types)}");
            var ok = true;
            if (Enum is not null && !Enum.Any(e => JsonNode.DeepEquals(e, value)))
                ok = Fail(errors, path, "must be one of " + string.Join(", ", Enum.Select(e => e?.ToJsonString() ?? "null")));
            ok &= kind switch
            {
                JsonTypes.Object => ValidateObject((JsonObject)value!, path, errors),
                JsonTypes.Array => ValidateArray((JsonArray)value!, path, errors),
                // Read as text only when a keyword needs it: a large string would be a large-object-heap copy per check.
                JsonTypes.String => !ChecksText || ValidateString(value!.GetValue<string>(), path, errors),
                JsonTypes.Number or JsonTypes.Integer => ValidateNumber((JsonValue)value!, path, errors),
                _ => true,
            };
            if (AllOf is not null) foreach (var s in AllOf) ok &= s.Validate(value, path, errors);
            if (AnyOf is not null && !AnyOf.Any(s => s.Validate(value, path, null)))
                ok = Fail(errors, path, "must match at least one of the allowed shapes");
            if (OneOf is not null && OneOf.Count(s => s.Validate(value, path, null)) != 1)
                ok = Fail(errors, path, "must match exactly one of the allowed shapes");
            return ok;
        }

        private bool ValidateObject(JsonObject obj, string? path, List<SchemaError>? errors)
        {
            var ok = true;
            foreach (var name in Required)
                if (!obj.ContainsKey(name)) ok = Fail(errors, Child(path, name), "is required");
            foreach (var (name, child) in obj)
            {
                var matched = false;
                if (Properties.TryGetValue(name, out var prop))
                {
                    matched = true;
                    ok &= prop.Validate(child, Child(path, name), errors);
                }
                foreach (var (pattern, schema) in Patterns)
                {
                    if (!pattern.IsMatch(name)) continue;
                    matched = true;
                    ok &= schema.Validate(child, Child(path, name), errors);
                }
                if (matched || Additional is null) continue;
                if (ReferenceEquals(Additional, Nothing)) ok = Fail(errors, Child(path, name), "is not an allowed property");
                else ok &= Additional.Validate(child, Child(path, name), errors);
                if (!ok && errors is null) return false;
            }
            return ok;
        }

        private bool ValidateArray(JsonArray array, string? path, List<SchemaError>? errors)
        {
            var ok = true;
            if (MinItems is { } min && array.Count < min) ok = Fail(errors, path, $"must have at least {min} item(s)");
            if (MaxItems is { } max && array.Count > max) ok = Fail(errors, path, $"must have at most {max} item(s)");
            if (Items is null) return ok;
            for (var i = 0; i < array.Count; i++)
            {
                ok &= Items.Validate(array[i], path is null ? null : $"{path}[{i}]", errors);
                if (!ok && errors is null) return false;
            }
            return ok;
        }

        private bool ChecksText => MinLength is not null || MaxLength is not null || Format is "uri" or "date-time";

        private bool ValidateString(string text, string? path, List<SchemaError>? errors)
        {
            var ok = true;
            if (MinLength is { } min && CodePoints(text) < min) ok = Fail(errors, path, $"must be at least {min} character(s) long");
            if (MaxLength is { } max && CodePoints(text) > max) ok = Fail(errors, path, $"must be at most {max} character(s) long");
            if (Format == "uri" && !Uri.TryCreate(text, UriKind.Absolute, out _)) ok = Fail(errors, path, "must be an absolute URI");
            if (Format == "date-time" && !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                ok = Fail(errors, path, "must be an RFC 3339 date-time");
            return ok;
        }

        private bool ValidateNumber(JsonValue value, string? path, List<SchemaError>? errors)
        {
            if (Minimum is null && Maximum is null && ExclusiveMinimum is null && ExclusiveMaximum is null) return true;
            var n = AsDouble(value);
            var ok = true;
            if (Minimum is { } min && n < (double)min) ok = Fail(errors, path, $"must be >= {min}");
            if (Maximum is { } max && n > (double)max) ok = Fail(errors, path, $"must be <= {max}");
            if (ExclusiveMinimum is { } emin && n <= (double)emin) ok = Fail(errors, path, $"must be > {emin}");
            if (ExclusiveMaximum is { } emax && n >= (double)emax) ok = Fail(errors, path, $"must be < {emax}");
            return ok;
        }

        /// <summary>Inputs arrive as JsonElements; outputs a handler built hold whatever CLR number it put there.</summary>
        private static double AsDouble(JsonValue value) =>
            value.TryGetValue<JsonElement>(out var e) ? e.GetDouble()
            : value.TryGetValue<double>(out var d) ? d
            : double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

        private static int CodePoints(string text)
        {
            var count = 0;
            for (var i = 0; i < text.Length; i++, count++)
                if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            return count;
        }

        private static JsonTypes KindOf(JsonNode? value) => value switch
        {
            null => JsonTypes.Null,
            JsonObject => JsonTypes.Object,
            JsonArray => JsonTypes.Array,
            _ => value.GetValueKind() switch
            {
                JsonValueKind.String => JsonTypes.String,
                JsonValueKind.True or JsonValueKind.False => JsonTypes.Boolean,
                JsonValueKind.Null => JsonTypes.Null,
                _ => JsonTypes.Number,
            },
        };

        /// <summary>An integer is written without fraction or exponent (as the spec's own validators read it).</summary>
        private static bool IsInteger(JsonValue value)
        {
            if (value.TryGetValue<JsonElement>(out var e)) return e.GetRawText().AsSpan().IndexOfAny('.', 'e', 'E') < 0;
            return value.TryGetValue<long>(out _) || value.TryGetValue<int>(out _) ||
                   (value.TryGetValue<double>(out var d) && Math.Floor(d) == d && !double.IsInfinity(d));
        }

        private static string? Child(string? path, string name) =>
            path is null ? null : IsPlainName(name) ? $"{path}.{name}" : $"{path}[{JsonSerializer.Serialize(name)}]";

        private static bool IsPlainName(string name) =>
            name.Length > 0 && !char.IsDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

        private static string Describe(JsonTypes types)
        {
            if (types == JsonTypes.None) return "absent";
            var names = new List<string>();
            if (types.HasFlag(JsonTypes.Object)) names.Add("an object");
            if (types.HasFlag(JsonTypes.Array)) names.Add("an array");
            if (types.HasFlag(JsonTypes.String)) names.Add("a string");
            if (types.HasFlag(JsonTypes.Number)) names.Add("a number");
            else if (types.HasFlag(JsonTypes.Integer)) names.Add("an integer");
            if (types.HasFlag(JsonTypes.Boolean)) names.Add("a boolean");
            if (types.HasFlag(JsonTypes.Null)) names.Add("null");
            return string.Join(" or ", names);
        }

        private static bool Fail(List<SchemaError>? errors, string? path, string message)
        {
            errors?.Add(new SchemaError(path ?? "$", message));
            return false;
        }
    }
}
