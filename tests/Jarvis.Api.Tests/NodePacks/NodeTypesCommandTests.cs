using System.Text.Json.Nodes;
using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Api.Tests.NodePacks;

/// <summary><c>jarvis-atomic-executor node-types</c>: the real executable prints what <c>GET /v1/node-types</c> answers
/// for the same settings, then exits 0 on its own (it serves nothing); settings and packs it cannot use are refused
/// the way the service refuses them.</summary>
public sealed class NodeTypesCommandTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task It_prints_exactly_what_the_service_lists_for_the_same_settings(bool settingsAsArguments)
    {
        using var directory = PackDirectory.WithSamplePack();
        (string Key, string Value)[] settings =
        [
            ("JARVIS_NODEPACKS_PATH", directory.Path),
            ("JARVIS_ATOMIC_HTTP_ALLOWED_HOSTS", "api.example.com,*.example.org"),
            ("JARVIS_ATOMIC_HTTP_MAX_BYTES", "2048"),
        ];

        await using var command = settingsAsArguments
            ? ExecutorProcess.StartCommand(new Dictionary<string, string>(), ["node-types", .. settings.Select(s => $"--{s.Key}={s.Value}")])
            : ExecutorProcess.StartCommand(settings.ToDictionary(s => s.Key, s => s.Value), "node-types");
        var exitCode = await command.WaitForExitAsync(ExitTimeout);

        Assert.True(exitCode == 0, $"exit code {exitCode}: {command.StandardError}");
        Assert.Equal("", command.StandardError);
        var printed = JsonNode.Parse(command.StandardOutput)!;

        await using var server = await ExecutorServer.StartAsync(settings);
        var served = JsonNode.Parse(await server.Client.GetStringAsync("/v1/node-types"))!;

        Assert.Contains(printed.AsArray(), n => n!["node_type_id"]!.GetValue<string>() == SampleNodes.CountWords);
        Assert.Equal(2048, printed.AsArray().Single(n => n!["node_type_id"]!.GetValue<string>() == "jarvis.web.fetch")!
            ["extensions"]!["jarvis.egress_policy"]!["max_bytes"]!.GetValue<long>());
        Assert.True(JsonNode.DeepEquals(served, printed), $"the CLI printed\n{printed.ToJsonString()}\nthe service lists\n{served.ToJsonString()}");
    }

    [Fact]
    public async Task It_does_not_bind_the_configured_port()
    {
        // The port is taken: the service would exit 2 (address in use); the command never listens, so it succeeds.
        using var occupant = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((System.Net.IPEndPoint)occupant.LocalEndpoint).Port;

        await using var command = ExecutorProcess.StartCommand(new Dictionary<string, string>(),
            "node-types", "--host", "127.0.0.1", "--port", port.ToString());

        Assert.True(await command.WaitForExitAsync(ExitTimeout) == 0, command.StandardError);
        Assert.Contains(JsonNode.Parse(command.StandardOutput)!.AsArray(), n => n!["node_type_id"]!.GetValue<string>() == "jarvis.core.echo");
    }

    public static TheoryData<string, string, string> BadSettings => new()
    {
        // env or arg, key, value (the message must name the key)
        { "env", "JARVIS_NODEPACKS_PATH", "/nonexistent/jarvis-packs" },
        { "arg", "JARVIS_ATOMIC_HTTP_MAX_BYTES", "lots" },
        { "env", "JARVIS_MAX_CONCURRENCY", "abc" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task A_bad_setting_exits_2_with_one_stderr_line_naming_it(string kind, string key, string value)
    {
        await using var command = kind == "env"
            ? ExecutorProcess.StartCommand(new Dictionary<string, string> { [key] = value }, "node-types")
            : ExecutorProcess.StartCommand(new Dictionary<string, string>(), "node-types", $"--{key}={value}");

        Assert.Contains(key, await StartupAssert.RefusedAsync(command));
    }

    [Fact]
    public async Task Packs_that_cannot_be_installed_exit_2_with_one_stderr_line()
    {
        using var first = PackDirectory.WithSamplePack();
        using var second = PackDirectory.WithSamplePack();

        await using var command = ExecutorProcess.StartCommand(
            new Dictionary<string, string> { ["JARVIS_NODEPACKS_PATH"] = PackDirectory.SearchPath(first, second) }, "node-types");

        Assert.Contains($"'{SampleNodes.Pack.Nodes[0].NodeTypeId}'", await StartupAssert.RefusedAsync(command));
    }
}
