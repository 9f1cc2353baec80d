using System.Text.Json.Nodes;
using Akka.Actor;
using Jarvis.Api.Config;
using Jarvis.Api.Tests.Infrastructure;
using Jarvis.NodePacks.Sdk;

namespace Jarvis.Api.Tests.NodePacks;

/// <summary>Packs that cannot be installed stop the host while it is being built, with a <see cref="StartupException"/>
/// (printed by the executable as its one stderr line) naming the pack, the node or the file at fault.</summary>
public sealed class PackStartupFailureTests : IDisposable
{
    private readonly PackDirectory _directory = PackDirectory.Empty();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_pack_reusing_a_built_in_node_id_stops_startup_naming_both_packs()
    {
        EmittedPack.Write(_directory.Path, "test.impostor", ["test.impostor.fine", "jarvis.core.echo"]);

        var error = await BuildFailsAsync(null, ("JARVIS_NODEPACKS_PATH", _directory.Path));

        Assert.Contains("'jarvis.core.echo'", error.Message);
        Assert.Contains("'jarvis.core'", error.Message);
        Assert.Contains("'test.impostor'", error.Message);
    }

    [Fact]
    public async Task A_pack_whose_constructor_throws_stops_startup_naming_the_pack_and_the_cause()
    {
        var dll = EmittedPack.Write(_directory.Path, "test.throwing", ["test.throwing.node"], constructorError: "the licence file is missing");

        var error = await BuildFailsAsync(null, ("JARVIS_NODEPACKS_PATH", _directory.Path));

        Assert.Contains("the licence file is missing", error.Message);
        Assert.Contains(EmittedPack.TypeName(dll), error.Message);
        Assert.Contains(dll, error.Message);
    }

    [Fact]
    public async Task A_multi_line_constructor_error_is_still_one_line()
    {
        EmittedPack.Write(_directory.Path, "test.throwing", ["test.throwing.node"], constructorError: "first line\nsecond line\r\nthird line");

        var error = await BuildFailsAsync(null, ("JARVIS_NODEPACKS_PATH", _directory.Path));

        Assert.DoesNotContain('\n', error.Message);
        Assert.DoesNotContain('\r', error.Message);
        Assert.Contains("first line", error.Message);
        Assert.Contains("third line", error.Message);
    }

    [Fact]
    public async Task A_pack_without_a_public_parameterless_constructor_stops_startup_naming_it()
    {
        var dll = EmittedPack.Write(_directory.Path, "test.no_ctor", ["test.no_ctor.node"], parameterlessConstructor: false);

        var error = await BuildFailsAsync(null, ("JARVIS_NODEPACKS_PATH", _directory.Path));

        Assert.Contains(EmittedPack.TypeName(dll), error.Message);
        Assert.Contains("parameterless constructor", error.Message);
    }

    public static TheoryData<string, string, string> InvalidSchemas => new()
    {
        // which schema, the schema, what the message must name
        { "input", """{"type": "object", "properties": {"name": {"type": "strng"}}}""", "strng" },
        { "output", """{"type": "strng"}""", "strng" },
        { "input", """{"type": "object", "properties": {"name": {"type": "string", "pattern": "^a"}}}""", "pattern" },
        { "output", """{"type": "object", "dependentRequired": {"a": ["b"]}}""", "dependentRequired" },
        { "input", """{"$ref": "#/$defs/missing"}""", "missing" },
    };

    [Theory]
    [MemberData(nameof(InvalidSchemas))]
    public async Task A_node_with_an_invalid_schema_stops_startup_naming_the_node_pack_and_problem(string which, string schema, string named)
    {
        var node = Node("test.schema.node") with
        {
            InputSchema = which == "input" ? JsonNode.Parse(schema)!.AsObject() : new JsonObject { ["type"] = "object" },
            OutputSchema = which == "output" ? JsonNode.Parse(schema)!.AsObject() : new JsonObject { ["type"] = "object" },
        };

        var error = await BuildFailsAsync([new InlinePack("test.schema", node)]);

        Assert.Contains("'test.schema.node'", error.Message);
        Assert.Contains("'test.schema'", error.Message);
        Assert.Contains(named, error.Message);
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public async Task A_node_without_exactly_one_of_handler_and_props_stops_startup_naming_it(bool handler, bool props)
    {
        var node = Node("test.shape.node") with
        {
            Handler = handler ? (_, _, _) => ValueTask.FromResult(new JsonObject()) : null,
            ActorProps = props ? Props.Empty : null,
        };

        var error = await BuildFailsAsync([new InlinePack("test.shape", node)]);

        Assert.Contains("'test.shape.node'", error.Message);
        Assert.Contains("'test.shape'", error.Message);
    }

    private static NodeDefinition Node(string id) => new()
    {
        NodeTypeId = id,
        Version = "1.0.0",
        Description = id,
        InputSchema = new JsonObject { ["type"] = "object" },
        OutputSchema = new JsonObject { ["type"] = "object" },
        Handler = (_, _, _) => ValueTask.FromResult(new JsonObject()),
    };

    private sealed class InlinePack(string id, params NodeDefinition[] nodes) : INodePack
    {
        public string Id => id;
        public string Version => "1.0.0";
        public IReadOnlyList<NodeDefinition> Nodes => nodes;
    }

    /// <summary>Builds the host as the executable does; fails the test (after disposing it) if that succeeds.</summary>
    private static async Task<StartupException> BuildFailsAsync(IReadOnlyList<INodePack>? packs, params (string Key, string Value)[] settings)
    {
        string[] args = ["--host=127.0.0.1", "--port=0", "--ARP_AUTH_PROFILE=dev-insecure", .. settings.Select(s => $"--{s.Key}={s.Value}")];
        Microsoft.AspNetCore.Builder.WebApplication app;
        try
        {
            app = Program.Build(args, packs);
        }
        catch (StartupException e)
        {
            HttpAssert.AssertNoInternals(e.Message);
            return e;
        }
        await app.DisposeAsync();
        throw new Xunit.Sdk.XunitException("the host was built although its packs cannot be installed");
    }
}
