using System.Net;
using System.Text.Json.Nodes;
using Jarvis.Api.Tests.Infrastructure;
using NJsonSchema;
using YamlDotNet.RepresentationModel;

namespace Jarvis.Api.Tests.Conformance;

/// <summary>The executor's own OpenAPI document (GET /openapi.json) against the ARP standard's
/// openapi/atomic-executor.openapi.yaml and its conformance vectors.</summary>
public sealed class OpenApiDocumentTests(OpenApiDocumentTests.Served served) : IClassFixture<OpenApiDocumentTests.Served>
{
    /// <summary>Our component ↔ the spec schema (and conformance vector) path it transcribes.</summary>
    public static readonly IReadOnlyDictionary<string, string> Components = new Dictionary<string, string>
    {
        ["AtomicExecuteRequest"] = "atomic_executor/node_runs/atomic_execute_request",
        ["AtomicExecuteResult"] = "atomic_executor/node_runs/atomic_execute_result",
        ["ErrorEnvelope"] = "common/error",
        ["ErrorDetail"] = "common/error_detail",
        ["ErrorCause"] = "common/error_cause",
        ["Extensions"] = "common/extensions",
        ["Health"] = "common/health",
        ["Status"] = "common/status",
        ["VersionInfo"] = "common/version_info",
        ["Metadata"] = "common/metadata",
        ["ResourceRef"] = "common/resource_ref",
        ["NodeRunState"] = "core/node_run_state",
        ["NodeKind"] = "core/node_kind",
        ["NodeType"] = "core/node_type",
        ["NodeTypeRef"] = "core/node_type_ref",
        ["RunContext"] = "core/run_context",
        ["ConstraintEnvelope"] = "core/constraint_envelope",
    };

    public static TheoryData<string, string, bool> Vectors()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var (component, spec) in Components)
            foreach (var (root, valid) in new[] { (SpecVectors.ValidRoot, true), (SpecVectors.InvalidRoot, false) })
                if (File.Exists(Path.Combine(root, spec + ".json"))) data.Add(component, spec, valid);
        return data;
    }

    [Fact]
    public void Every_path_method_and_status_the_standard_gives_its_operations_is_in_ours_with_the_same_operation_id()
    {
        var standard = StandardOperations();
        Assert.Equal(4, standard.Count);
        foreach (var ((path, method), (operationId, statuses)) in standard)
        {
            var ours = served.Document["paths"]?[path]?[method]?.AsObject();
            Assert.True(ours is not null, $"{method.ToUpperInvariant()} {path} is missing from /openapi.json");
            Assert.Equal(operationId, ours["operationId"]?.GetValue<string>());
            var responses = ours["responses"]!.AsObject();
            foreach (var status in statuses)
                Assert.True(responses.ContainsKey(status), $"{method.ToUpperInvariant()} {path} does not list {status}");
        }
    }

    [Fact]
    public void The_codes_ours_adds_are_described_error_envelopes_and_503_says_when_to_retry()
    {
        foreach (var (path, item) in served.Document["paths"]!.AsObject())
            foreach (var (method, operation) in item!.AsObject())
            {
                if (method == "head") continue;
                foreach (var (status, response) in operation!["responses"]!.AsObject())
                {
                    Assert.False(string.IsNullOrWhiteSpace(response!["description"]?.GetValue<string>()), $"{method} {path} {status} has no description");
                    if (status.StartsWith('2')) continue;
                    Assert.Equal("#/components/schemas/ErrorEnvelope", response["content"]?["application/json"]?["schema"]?["$ref"]?.GetValue<string>());
                    if (status == "503") Assert.NotNull(response["headers"]?["Retry-After"]);
                }
            }
        var execute = served.Document["paths"]!["/v1/atomic-node-runs:execute"]!["post"]!;
        Assert.Equal("#/components/schemas/AtomicExecuteRequest", execute["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
        Assert.True(execute["requestBody"]!["required"]!.GetValue<bool>());
        foreach (var status in new[] { "400", "409", "413", "415", "503" }) Assert.NotNull(execute["responses"]![status]);
        Assert.Equal("#/components/schemas/NodeType", served.Document["paths"]!["/v1/node-types"]!["get"]!["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["items"]!["$ref"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public async Task A_conformance_vector_gets_the_same_verdict_from_our_schema_as_from_the_standard(string component, string spec, bool valid)
    {
        var vector = await File.ReadAllTextAsync(Path.Combine(valid ? SpecVectors.ValidRoot : SpecVectors.InvalidRoot, spec + ".json"));
        var standardErrors = await SpecSchemas.ErrorsAsync(spec + ".schema.json", vector);
        var ourErrors = (await served.SchemaAsync(component)).Validate(vector).Select(e => e.ToString()).ToList();

        Assert.True(standardErrors.Count == 0 == valid, $"the standard's schema disagrees with the vector's folder: {string.Join("; ", standardErrors)}");
        Assert.True(ourErrors.Count == 0 == valid,
            $"{component} {(valid ? "rejects" : "accepts")} {spec}.json, which the standard {(valid ? "accepts" : "rejects")}: {string.Join("; ", ourErrors)}");
    }

    [Fact]
    public void Every_component_the_document_references_is_defined_and_the_vectors_cover_each_one_we_transcribed()
    {
        var defined = served.Document["components"]!["schemas"]!.AsObject().Select(p => p.Key).ToHashSet();
        foreach (var reference in References(served.Document))
            Assert.Contains(reference["#/components/schemas/".Length..], defined);
        Assert.Equal(Components.Keys.Order(), defined.Order());
        foreach (var spec in Components.Values) Assert.True(File.Exists(Path.Combine(SpecVectors.ValidRoot, spec + ".json")), $"no valid vector for {spec}");
    }

    [Fact]
    public async Task The_document_is_also_at_openapi_v1_json_and_answers_without_a_body_to_head()
    {
        using var other = await served.Server.Client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.True(JsonNode.DeepEquals(served.Document, JsonNode.Parse(await other.Content.ReadAsStringAsync())));
    }

    private static IEnumerable<string> References(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => p.Key == "$ref" && p.Value is JsonValue v ? [v.GetValue<string>()] : References(p.Value)),
        JsonArray array => array.SelectMany(References),
        _ => [],
    };

    /// <summary>(path, method) → (operationId, status codes) from the standard's YAML.</summary>
    private static Dictionary<(string, string), (string, List<string>)> StandardOperations()
    {
        var yaml = new YamlStream();
        using (var reader = File.OpenText(Path.Combine(SpecFiles.Root, "openapi", "atomic-executor.openapi.yaml"))) yaml.Load(reader);
        var paths = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["paths"];
        var operations = new Dictionary<(string, string), (string, List<string>)>();
        foreach (var (path, item) in paths.Children)
            foreach (var (method, operation) in ((YamlMappingNode)item).Children)
            {
                var op = (YamlMappingNode)operation;
                var statuses = ((YamlMappingNode)op["responses"]).Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToList();
                operations[(((YamlScalarNode)path).Value!, ((YamlScalarNode)method).Value!)] = (((YamlScalarNode)op["operationId"]).Value!, statuses);
            }
        return operations;
    }

    /// <summary>One executor for the class, and its document.</summary>
    public sealed class Served : IAsyncLifetime
    {
        private readonly Dictionary<string, JsonSchema> _schemas = new();

        public ExecutorServer Server { get; private set; } = null!;
        public JsonObject Document { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Server = await ExecutorServer.StartAsync();
            Document = JsonNode.Parse(await Server.Client.GetStringAsync("/openapi.json"))!.AsObject();
        }

        /// <summary>A schema that is the named component, resolved within our document.</summary>
        public async Task<JsonSchema> SchemaAsync(string component)
        {
            if (_schemas.TryGetValue(component, out var cached)) return cached;
            // NJsonSchema resolves references into "definitions" only, so the components are moved there as they are.
            // (allOf, not a bare $ref: a $ref's sibling keywords, definitions included, are ignored.)
            var wrapper = new JsonObject { ["allOf"] = new JsonArray(new JsonObject { ["$ref"] = $"#/components/schemas/{component}" }), ["definitions"] = Document["components"]!["schemas"]!.DeepClone() };
            return _schemas[component] = await JsonSchema.FromJsonAsync(wrapper.ToJsonString().Replace("#/components/schemas/", "#/definitions/"));
        }

        public async Task DisposeAsync() => await Server.DisposeAsync();
    }
}
