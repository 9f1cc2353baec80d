using Jarvis.Api.Tests.Infrastructure;
using NJsonSchema;

namespace Jarvis.Api.Tests.Differential;

/// <summary>The reference answer: NJsonSchema over the spec's own schema files (relative <c>$ref</c>s resolved from disk).</summary>
internal sealed class SpecOracle
{
    public const string RequestSchema = "atomic_executor/node_runs/atomic_execute_request.schema.json";

    private readonly JsonSchema _schema;

    private SpecOracle(JsonSchema schema) => _schema = schema;

    public static async Task<SpecOracle> LoadAsync() => new(await JsonSchema.FromFileAsync(SpecFiles.Schema(RequestSchema)));

    /// <summary>The violations of <paramref name="json"/>; empty when the spec schema accepts it.</summary>
    public IReadOnlyList<string> Errors(string json) => _schema.Validate(json).Select(e => e.ToString()).ToList();
}
