using System.Text.Json.Nodes;
using Jarvis.NodePacks.Egress;
using Jarvis.NodePacks.Schema;
using Jarvis.NodePacks.Sdk;
using Jarvis.NodePacks.Tests.Core;
using Jarvis.NodePacks.Web;
using Microsoft.Extensions.DependencyInjection;

namespace Jarvis.NodePacks.Tests.Web;

/// <summary>Runs <c>jarvis.web.fetch</c>'s handler as the executor does: with the guarded HttpClient from
/// <see cref="EgressServices.AddEgressGuard"/> in <see cref="NodeContext.Services"/>, outputs checked against
/// the node's output schema. Every wait is bounded.</summary>
internal static class Fetch
{
    public static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    public static EgressPolicy Allowing(params string[] hosts) => new() { AllowedHosts = hosts };

    public static JsonObject Inputs(string url, string? extraJson = null)
    {
        var inputs = extraJson is null ? new JsonObject() : Nodes.JsonObject(extraJson);
        inputs["url"] = url;
        return inputs;
    }

    public static JsonObject Inputs(Uri url, string? extraJson = null) => Inputs(url.AbsoluteUri, extraJson);

    /// <summary>Runs the node; its outputs must match its output schema.</summary>
    public static async Task<JsonObject> RunAsync(EgressPolicy policy, JsonObject inputs, CancellationToken cancellation = default)
    {
        var node = WebFetchNode.Definition(policy);
        await using var services = new ServiceCollection().AddEgressGuard(policy).BuildServiceProvider();
        var outputs = await node.Handler!(inputs, Nodes.Context(node) with { Services = services }, cancellation).AsTask().WaitAsync(Generous);
        var errors = new List<SchemaError>();
        Assert.True(JsonSchemaValidator.Compile(node.OutputSchema).Validate(outputs, errors),
            $"outputs do not match the output schema: {string.Join("; ", errors.Select(e => $"{e.Path} {e.Message}"))}\n{outputs.ToJsonString()}");
        return outputs;
    }

    /// <summary>Runs the node and expects it to fail with <paramref name="code"/>.</summary>
    public static async Task<NodeFailureException> FailsAsync(EgressPolicy policy, JsonObject inputs, string code)
    {
        var failure = await Assert.ThrowsAsync<NodeFailureException>(() => RunAsync(policy, inputs));
        Assert.True(code == failure.Code, $"expected {code}, got {failure.Code}: {failure.Message}");
        return failure;
    }

    /// <summary>Runs the node and expects its inputs to be refused.</summary>
    public static async Task<InvalidNodeInputsException> InvalidAsync(EgressPolicy policy, JsonObject inputs) =>
        await Assert.ThrowsAsync<InvalidNodeInputsException>(() => RunAsync(policy, inputs));

    public static byte[] Content(JsonObject outputs) => Convert.FromBase64String(outputs["content_base64"]!.GetValue<string>());

    public static string Text(JsonObject outputs) => System.Text.Encoding.UTF8.GetString(Content(outputs));

    /// <summary>The values of a response header in the outputs' <c>headers[]</c>, case-insensitively.</summary>
    public static IReadOnlyList<string> Header(JsonObject outputs, string name) =>
        outputs["headers"]!.AsArray()
            .Where(h => string.Equals(h!["key"]!.GetValue<string>(), name, StringComparison.OrdinalIgnoreCase))
            .Select(h => h!["value"]!.GetValue<string>()).ToList();
}
