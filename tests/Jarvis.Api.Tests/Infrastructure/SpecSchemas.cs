using System.Collections.Concurrent;
using System.Text.Json;
using NJsonSchema;

namespace Jarvis.Api.Tests.Infrastructure;

/// <summary>The spec's JSON Schemas, loaded once each with NJsonSchema (relative $refs resolved from the files).</summary>
public static class SpecSchemas
{
    public const string Health = "common/health.schema.json";
    public const string VersionInfo = "common/version_info.schema.json";
    public const string ErrorEnvelope = "common/error.schema.json";
    public const string ExecuteRequest = "atomic_executor/node_runs/atomic_execute_request.schema.json";
    public const string ExecuteResult = "atomic_executor/node_runs/atomic_execute_result.schema.json";
    public const string NodeType = "core/node_type.schema.json";

    private static readonly ConcurrentDictionary<string, Lazy<Task<JsonSchema>>> Cache = new();

    public static Task<JsonSchema> LoadAsync(string relative) =>
        Cache.GetOrAdd(relative, r => new Lazy<Task<JsonSchema>>(() => JsonSchema.FromFileAsync(SpecFiles.Schema(r)))).Value;

    /// <summary>The violations of <paramref name="json"/> against the schema, as readable lines.</summary>
    public static async Task<IReadOnlyList<string>> ErrorsAsync(string relative, string json)
    {
        var schema = await LoadAsync(relative);
        return schema.Validate(json).Select(e => e.ToString()).ToList();
    }

    /// <summary>Fails unless <paramref name="json"/> matches the schema and holds no JSON null anywhere
    /// (absent optional fields are omitted, never null).</summary>
    public static async Task AssertValidAsync(string relative, string json)
    {
        var errors = await ErrorsAsync(relative, json);
        Assert.True(errors.Count == 0, $"body does not match {relative}:\n  {string.Join("\n  ", errors)}\nbody: {json}");
        AssertNoNulls(json);
    }

    public static void AssertNoNulls(string json)
    {
        using var document = JsonDocument.Parse(json);
        var nulls = new List<string>();
        Walk(document.RootElement, "$", nulls);
        Assert.True(nulls.Count == 0, $"body has null values at {string.Join(", ", nulls)}: {json}");
    }

    private static void Walk(JsonElement element, string path, List<string> nulls)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Null:
                nulls.Add(path);
                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject()) Walk(property.Value, $"{path}.{property.Name}", nulls);
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray()) Walk(item, $"{path}[{i++}]", nulls);
                break;
        }
    }
}
