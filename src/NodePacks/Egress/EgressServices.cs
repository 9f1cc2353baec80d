using Jarvis.NodePacks.Sdk;
using Microsoft.Extensions.DependencyInjection;

namespace Jarvis.NodePacks.Egress;

public static class EgressServices
{
    /// <summary>Registers the <see cref="EgressGuard"/> for <paramref name="policy"/> and the guarded HttpClient
    /// that nodes get through <see cref="NodeContextHttp.EgressGuardedHttpClient"/>.</summary>
    public static IServiceCollection AddEgressGuard(this IServiceCollection services, EgressPolicy policy)
    {
        var guard = new EgressGuard(policy);
        services.AddSingleton(guard);
        services.AddHttpClient(EgressGuard.HttpClientName, client => client.Timeout = policy.Timeout)
            .ConfigurePrimaryHttpMessageHandler(guard.CreateHandler)
            .RemoveAllLoggers(); // a log line per request would drown the one per run
        return services;
    }
}
