using System.Text.Json.Nodes;
using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Api.Tests.NodePacks;

/// <summary>JARVIS_NODEPACKS_PATH lists directories (separated by the platform's path separator, ':' here): every
/// pack in every one of them is installed beside the built-in ones.</summary>
public sealed class NodePackPathTests
{
    [Fact]
    public async Task Packs_in_two_directories_are_both_installed_and_run()
    {
        using var samples = PackDirectory.WithSamplePack();
        using var other = PackDirectory.Empty();
        EmittedPack.Write(other.Path, "test.other", ["test.other.hello"]);
        await using var server = await ExecutorServer.StartAsync(("JARVIS_NODEPACKS_PATH", PackDirectory.SearchPath(samples, other)));

        var ids = await NodeTypeIdsAsync(server);
        Assert.Contains(SampleNodes.Reverse, ids);
        Assert.Contains(SampleNodes.CountWords, ids);
        Assert.Contains("test.other.hello", ids);
        Assert.Contains("jarvis.core.echo", ids);

        var hello = await HttpAssert.ResultAsync(await server.Client.ExecuteAsync(
            ExecuteRequests.For("test.other.hello", new JsonObject())), "succeeded");
        Assert.Equal("test.other", hello["outputs"]!["pack"]!.GetValue<string>());
        var reversed = await HttpAssert.ResultAsync(await server.Client.ExecuteAsync(SampleNodes.ReverseRequest("ab")), "succeeded");
        Assert.Equal("ba", reversed["outputs"]!["reversed"]!.GetValue<string>());
    }

    [Fact]
    public async Task Empty_entries_in_the_path_are_ignored()
    {
        using var samples = PackDirectory.WithSamplePack();
        var path = $"{Path.PathSeparator}{samples.Path}{Path.PathSeparator}{Path.PathSeparator}";
        await using var server = await ExecutorServer.StartAsync(("JARVIS_NODEPACKS_PATH", path));

        Assert.Contains(SampleNodes.Reverse, await NodeTypeIdsAsync(server));
    }

    private static async Task<IReadOnlyList<string>> NodeTypeIdsAsync(ExecutorServer server) =>
        JsonNode.Parse(await server.Client.GetStringAsync("/v1/node-types"))!.AsArray()
            .Select(n => n!["node_type_id"]!.GetValue<string>()).ToList();
}
