using System.Net;
using System.Text.Json.Nodes;

namespace Jarvis.Api.Tests.Infrastructure;

/// <summary>One answer of /v1/health, checked against the spec's Health schema before it is read.</summary>
public sealed class HealthReader(JsonNode health)
{
    public string Status => health["status"]!.GetValue<string>();

    public JsonNode CheckNode(string name) =>
        health["checks"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == name)!;

    public string Check(string name) => CheckNode(name)["status"]!.GetValue<string>();

    public static async Task<HealthReader> GetAsync(HttpClient client)
    {
        var body = await HttpAssert.JsonAsync(await client.GetAsync("/v1/health"), HttpStatusCode.OK);
        await SpecSchemas.AssertValidAsync(SpecSchemas.Health, body);
        return new HealthReader(JsonNode.Parse(body)!);
    }

    public override string ToString() => health.ToJsonString();
}
