using System.Net;
using System.Text.Json.Nodes;
using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Api.Tests.Conformance;

/// <summary>Health, version and node-types answers against the spec's schemas.</summary>
public sealed class ServiceInfoSchemaTests
{
    [Fact]
    public async Task Health_matches_health_schema()
    {
        await using var server = await ExecutorServer.StartAsync();
        var body = await HttpAssert.JsonAsync(await server.Client.GetAsync("/v1/health"), HttpStatusCode.OK);
        await SpecSchemas.AssertValidAsync(SpecSchemas.Health, body);
        Assert.Equal("ok", JsonNode.Parse(body)!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Version_matches_version_info_schema_and_supports_v1()
    {
        await using var server = await ExecutorServer.StartAsync();
        var body = await HttpAssert.JsonAsync(await server.Client.GetAsync("/v1/version"), HttpStatusCode.OK);
        await SpecSchemas.AssertValidAsync(SpecSchemas.VersionInfo, body);
        var version = JsonNode.Parse(body)!;
        Assert.Equal("jarvis-atomic-executor", version["service_name"]!.GetValue<string>());
        Assert.Contains("v1", version["supported_api_versions"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    [Fact]
    public async Task Every_node_type_matches_node_type_schema()
    {
        await using var server = await ExecutorServer.StartAsync();
        var body = await HttpAssert.JsonAsync(await server.Client.GetAsync("/v1/node-types"), HttpStatusCode.OK);
        SpecSchemas.AssertNoNulls(body);
        var items = JsonNode.Parse(body)!.AsArray();
        Assert.NotEmpty(items);
        foreach (var item in items)
            await SpecSchemas.AssertValidAsync(SpecSchemas.NodeType, item!.ToJsonString());
    }
}
