using System.Text.Encodings.Web;
using System.Text.Json;
using Jarvis.Actors.Runs;
using Jarvis.Api.Config;
using Jarvis.Api.Contract;
using Jarvis.Api.Hosting;

namespace Jarvis.Api.Cli;

/// <summary><c>jarvis-atomic-executor node-types</c>: prints what <c>GET /v1/node-types</c> would answer, from
/// the same configuration, without starting the service (to seed a Node Registry at deploy time).</summary>
public static class NodeTypesCommand
{
    public const string Name = "node-types";

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var configuration = WebApplication.CreateBuilder(args).Configuration;
        var options = JarvisOptions.Load(configuration);
        var catalog = ExecutorHosting.BuildCatalog(() => ExecutorHosting.InstalledPacks(options), new OrphanTracker());
        var json = JsonSerializer.Serialize(NodeTypeDescription.All(catalog.All), new ContractJson(new JsonSerializerOptions(ContractJson.Default.Options)
        {
            WriteIndented = true,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // for people reading it; still valid JSON
        }).IReadOnlyListNodeType);
        await output.WriteLineAsync(json);
        return 0;
    }
}
