using System.Text.Json.Nodes;
using Jarvis.NodePacks.Core;
using Jarvis.NodePacks.Schema;
using Jarvis.NodePacks.Sdk;

namespace Jarvis.NodePacks.Tests.Core;

/// <summary>The core nodes' declared schemas compile, describe what their handlers return, and accept or refuse inputs.</summary>
public sealed class CoreNodeSchemaTests
{
    private static readonly Dictionary<string, NodeDefinition> ById = new CoreNodePack().Nodes.ToDictionary(n => n.NodeTypeId);

    public static TheoryData<string> NodeIds => [.. ById.Keys];

    /// <summary>Inputs each node accepts and runs with (sleep kept short).</summary>
    public static TheoryData<string, string> ValidInputs => new()
    {
        { "jarvis.core.echo", """{"echo": "x"}""" },
        { "jarvis.core.echo", """{"echo": ""}""" },
        { "jarvis.core.sleep", "{}" },
        { "jarvis.core.sleep", """{"seconds": 0.01}""" },
        { "jarvis.core.sleep", """{"seconds": null}""" },
        { "jarvis.core.sleep", """{"duration_seconds": 0}""" },
        { "jarvis.core.uuid4", "{}" },
        { "jarvis.core.time.now", "{}" },
        { "jarvis.core.hash.sha256", """{"text": "abc"}""" },
        { "jarvis.core.hash.sha256", """{"text": "abc", "encoding": "utf-16"}""" },
        { "jarvis.core.hash.sha256", """{"content_base64": "YWJj"}""" },
    };

    public static TheoryData<string, string, string> InvalidInputs => new()
    {
        { "jarvis.core.echo", "{}", "$.echo" },
        { "jarvis.core.echo", """{"echo": 1}""", "$.echo" },
        { "jarvis.core.echo", """{"echo": null}""", "$.echo" },
        { "jarvis.core.echo", """{"echo": "x", "extra": 1}""", "$.extra" },
        { "jarvis.core.sleep", """{"seconds": -1}""", "$.seconds" },
        { "jarvis.core.sleep", """{"duration_seconds": -0.5}""", "$.duration_seconds" },
        { "jarvis.core.sleep", """{"seconds": "1"}""", "$.seconds" },
        { "jarvis.core.sleep", """{"minutes": 1}""", "$.minutes" },
        { "jarvis.core.uuid4", """{"extra": true}""", "$.extra" },
        { "jarvis.core.time.now", """{"tz": "UTC"}""", "$.tz" },
        { "jarvis.core.hash.sha256", """{"text": 5}""", "$.text" },
        { "jarvis.core.hash.sha256", """{"text": "abc", "algorithm": "md5"}""", "$.algorithm" },
    };

    [Fact]
    public void The_pack_has_the_five_core_nodes_at_the_pack_version()
    {
        var pack = new CoreNodePack();
        Assert.Equal(["jarvis.core.echo", "jarvis.core.hash.sha256", "jarvis.core.sleep", "jarvis.core.time.now", "jarvis.core.uuid4"],
            pack.Nodes.Select(n => n.NodeTypeId).Order(StringComparer.Ordinal));
        Assert.All(pack.Nodes, n => Assert.Equal(CoreNodePack.PackVersion, n.Version));
        Assert.All(pack.Nodes, n => Assert.NotNull(n.Handler));
    }

    [Theory]
    [MemberData(nameof(NodeIds))]
    public void Input_and_output_schemas_compile(string nodeTypeId)
    {
        var node = ById[nodeTypeId];
        Assert.NotNull(JsonSchemaValidator.Compile(node.InputSchema));
        Assert.NotNull(JsonSchemaValidator.Compile(node.OutputSchema));
    }

    [Theory]
    [MemberData(nameof(ValidInputs))]
    public async Task Valid_inputs_pass_the_input_schema_and_the_outputs_pass_the_output_schema(string nodeTypeId, string inputs)
    {
        var node = ById[nodeTypeId];
        var inputErrors = new List<SchemaError>();
        Assert.True(JsonSchemaValidator.Compile(node.InputSchema).Validate(Nodes.JsonObject(inputs), inputErrors), Describe(inputErrors));

        var outputs = await Nodes.RunAsync(node, inputs).WaitAsync(TimeSpan.FromSeconds(30));

        var outputErrors = new List<SchemaError>();
        Assert.True(JsonSchemaValidator.Compile(node.OutputSchema).Validate(outputs, outputErrors),
            $"{outputs.ToJsonString()}: {Describe(outputErrors)}");
        // Outputs travel as JSON: they must still conform once written and read back.
        Assert.True(JsonSchemaValidator.Compile(node.OutputSchema).IsValid(JsonNode.Parse(outputs.ToJsonString())));
    }

    [Theory]
    [MemberData(nameof(InvalidInputs))]
    public void Invalid_inputs_fail_the_input_schema_at_the_offending_path(string nodeTypeId, string inputs, string path)
    {
        var errors = new List<SchemaError>();

        Assert.False(JsonSchemaValidator.Compile(ById[nodeTypeId].InputSchema).Validate(Nodes.JsonObject(inputs), errors));
        Assert.Contains(errors, e => e.Path == path);
    }

    [Theory]
    [MemberData(nameof(NodeIds))]
    public void Output_schemas_refuse_an_empty_object_or_an_extra_property(string nodeTypeId)
    {
        var output = JsonSchemaValidator.Compile(ById[nodeTypeId].OutputSchema);

        Assert.False(output.IsValid(new JsonObject()));
        Assert.False(output.IsValid(new JsonObject { ["unexpected"] = 1 }));
    }

    private static string Describe(List<SchemaError> errors) => string.Join("; ", errors.Select(e => $"{e.Path} {e.Message}"));
}
