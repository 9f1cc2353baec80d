using Jarvis.NodePacks.Egress;
using Microsoft.Extensions.DependencyInjection;

namespace Jarvis.NodePacks.Sdk;

public static class NodeContextHttp
{
    /// <summary>The host's shared HttpClient whose connections pass the egress guard (JARVIS_ATOMIC_HTTP_*):
    /// the way for any node to reach the network. It does not follow redirects; follow them with
    /// <see cref="EgressGuard.CheckUrl"/> on each hop.</summary>
    public static HttpClient EgressGuardedHttpClient(this NodeContext context) =>
        context.Services?.GetService<IHttpClientFactory>()?.CreateClient(EgressGuard.HttpClientName)
        ?? throw new InvalidOperationException("this host offers no HTTP client to nodes (no IHttpClientFactory in NodeContext.Services)");

    public static EgressGuard GetEgressGuard(this NodeContext context) =>
        context.Services?.GetService<EgressGuard>()
        ?? throw new InvalidOperationException("this host has no egress guard registered");
}
