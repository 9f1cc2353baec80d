using System.Reflection;
using Akka.Actor;
using Akka.Hosting;
using Jarvis.Actors.Hosting;
using Jarvis.Actors.Registry;
using Jarvis.Api.Contract;
using Jarvis.Api.Contract.OpenApi;

namespace Jarvis.Api.Endpoints;

/// <summary>Health (<see cref="HealthApi"/>), version and the installed node types.</summary>
public static class ServiceInfoApi
{
    public const string ServiceName = "jarvis-atomic-executor";

    /// <summary>How long a probe of the actors waits for their answer.</summary>
    internal static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    public static readonly string ServiceVersion =
        typeof(ServiceInfoApi).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(ServiceInfoApi).Assembly.GetName().Version?.ToString() ?? "0.0.0";

    public static IEndpointRouteBuilder MapServiceInfoApi(this IEndpointRouteBuilder app)
    {
        // HEAD too: load balancers and uptime probes use it.
        app.MapMethods("/v1/health", [HttpMethods.Get, HttpMethods.Head], HealthApi.HealthAsync)
            .WithName(OperationIds.Health).WithTags("health").WithSummary("Health");
        app.MapMethods("/v1/version", [HttpMethods.Get, HttpMethods.Head], () => TypedResults.Json(new VersionInfo(ServiceName, ServiceVersion, ["v1"]), ContractJson.Default.VersionInfo))
            .WithName(OperationIds.Version).WithTags("version").WithSummary("Version");
        app.MapGet("/v1/node-types", NodeTypesAsync)
            .WithName(OperationIds.NodeTypes).WithTags("node_types").WithSummary("Installed node types (extension)");
        return app;
    }

    private static async Task<IResult> NodeTypesAsync(IRequiredActor<NodeTypes> nodeTypes, HttpContext http)
    {
        var list = await nodeTypes.ActorRef.Ask<NodeTypeList>(ListNodeTypes.Instance, ProbeTimeout, http.RequestAborted);
        return TypedResults.Json(NodeTypeDescription.All(list.Nodes), ContractJson.Default.IReadOnlyListNodeType);
    }
}
