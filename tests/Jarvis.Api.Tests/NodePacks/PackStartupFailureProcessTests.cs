using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Api.Tests.NodePacks;

/// <summary>The built executable refuses to start when its pack directories cannot all be installed:
/// exit code 2 and one stderr line naming the cause, rather than serving without some nodes.</summary>
public sealed class PackStartupFailureProcessTests
{
    [Fact]
    public async Task The_same_pack_in_two_directories_stops_startup_naming_the_node_and_pack()
    {
        using var first = PackDirectory.WithSamplePack();
        using var second = PackDirectory.WithSamplePack();

        await using var process = Start(PackDirectory.SearchPath(first, second));

        var line = await StartupAssert.RefusedAsync(process);
        Assert.Contains($"'{SampleNodes.Pack.Nodes[0].NodeTypeId}'", line);
        Assert.Contains($"'{SampleNodes.PackId}'", line);
        Assert.Contains(first.SampleAssembly, line);
        Assert.Contains(second.SampleAssembly, line);
    }

    [Fact]
    public async Task A_truncated_pack_assembly_stops_startup_naming_the_file()
    {
        using var directory = PackDirectory.WithSamplePack();
        using (var dll = File.Open(directory.SampleAssembly, FileMode.Open))
            dll.SetLength(dll.Length / 2);

        await using var process = Start(directory.Path);

        Assert.Contains(directory.SampleAssembly, await StartupAssert.RefusedAsync(process));
    }

    [Fact]
    public async Task A_path_entry_that_is_a_file_stops_startup_naming_it()
    {
        using var directory = PackDirectory.WithSamplePack();

        // The pack's .dll itself instead of its directory: a plausible operator mistake.
        await using var process = Start(directory.SampleAssembly);

        var line = await StartupAssert.RefusedAsync(process);
        Assert.Contains("JARVIS_NODEPACKS_PATH", line);
        Assert.Contains(directory.SampleAssembly, line);
    }

    private static ExecutorProcess Start(string nodePacksPath) => ExecutorProcess.Start(new Dictionary<string, string>
    {
        ["ARP_AUTH_PROFILE"] = "dev-insecure",
        ["JARVIS_NODEPACKS_PATH"] = nodePacksPath,
    });
}
