using Jarvis.NodePacks.Loading;
using Jarvis.NodePacks.Sdk;

namespace Jarvis.NodePacks.Tests.Loading;

public sealed class NodePackLoaderTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("jarvis-nodepacks-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void An_empty_directory_has_no_packs() => Assert.Empty(NodePackLoader.LoadFrom([_dir.FullName]));

    [Fact]
    public void No_directories_means_no_packs() => Assert.Empty(NodePackLoader.LoadFrom([]));

    [Fact]
    public void Files_that_are_not_dlls_are_ignored()
    {
        File.WriteAllText(Path.Combine(_dir.FullName, "notes.txt"), "not a dll");

        Assert.Empty(NodePackLoader.LoadFrom([_dir.FullName]));
    }

    [Fact]
    public void A_dll_that_is_neither_a_NET_assembly_nor_a_native_library_stops_loading_naming_the_file()
    {
        var path = Path.Combine(_dir.FullName, "x.dll");
        File.WriteAllBytes(path, [0x4D, 0x5A, 0x00, 0x01, 0xDE, 0xAD, 0xBE, 0xEF]);

        var error = Assert.Throws<InvalidOperationException>(() => NodePackLoader.LoadFrom([_dir.FullName]));

        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void A_pack_assembly_is_loaded_and_its_pack_created_with_host_shared_SDK_types()
    {
        // This test assembly is itself a pack (TestPack below); a copy in the directory is loaded in its own context.
        var self = typeof(NodePackLoaderTests).Assembly.Location;
        File.Copy(self, Path.Combine(_dir.FullName, Path.GetFileName(self)));

        var pack = Assert.Single(NodePackLoader.LoadFrom([_dir.FullName]));

        Assert.Equal(TestPack.PackName, pack.Id);
        Assert.NotSame(typeof(TestPack), pack.GetType());   // the copy's type, from its own load context
        Assert.Equal("test.pack.node", Assert.Single(pack.Nodes).NodeTypeId);
    }
}

/// <summary>A minimal pack, found by the loader test in a copy of this assembly.</summary>
public sealed class TestPack : INodePack
{
    public const string PackName = "jarvis.tests.pack";

    public string Id => PackName;
    public string Version => "1.0.0";

    public IReadOnlyList<NodeDefinition> Nodes { get; } =
    [
        new()
        {
            NodeTypeId = "test.pack.node",
            Version = "1.0.0",
            Description = "does nothing",
            InputSchema = new System.Text.Json.Nodes.JsonObject { ["type"] = "object" },
            OutputSchema = new System.Text.Json.Nodes.JsonObject { ["type"] = "object" },
            Handler = (_, _, _) => ValueTask.FromResult(new System.Text.Json.Nodes.JsonObject()),
        },
    ];
}
