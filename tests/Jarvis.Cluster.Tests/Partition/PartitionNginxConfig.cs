using Jarvis.Tests.Shared;

namespace Jarvis.Cluster.Tests.Partition;

/// <summary>The partition test's nginx configuration (see <see cref="NamespacedBalancer"/>).</summary>
internal static class PartitionNginxConfig
{
    /// <summary>Balances with the upstream parameters and retry directives of the product's cluster sample
    /// (<paramref name="sample"/>); the rest (sockets, logs, temp paths) is the test's own.</summary>
    public static string Render(string directory, IReadOnlyList<ExecutorSite> sites, SampleBalancerSettings sample)
    {
        var servers = string.Join("\n        ", sites.Select(s => $"server {s.HttpEndpoint} {sample.ServerParameters};"));
        var retries = string.Join("\n                ", sample.ProxyDirectives.Concat(sample.ErrorPages));
        var namedLocations = string.Join("\n", sample.NamedLocations);
        var direct = string.Join("\n", sites.Select(s => $$"""
                server {
                    listen unix:{{directory}}/{{char.ToLowerInvariant(s.Letter)}}.sock;
                    access_log {{directory}}/direct.log requests;
                    location / {
                        proxy_pass http://{{s.HttpEndpoint}};
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        proxy_next_upstream off;
                        proxy_connect_timeout 1s;
                        proxy_read_timeout 900s;
                    }
                }
            """));
        return $$"""
            {{NginxSetup.MainContext(directory)}}

            http {
                access_log off;
                {{NginxSetup.HttpTempPaths(directory)}}
                client_max_body_size 4m;
                # the test's X-Exchange header ties a log line to the request the test sent
                log_format requests '$msec $http_x_exchange $request_uri $status "$upstream_addr" "$upstream_status" $request_time';

                upstream executors {
                    {{servers}}
                    {{sample.Keepalive}}
                }

                server {
                    listen unix:{{directory}}/lb.sock;
                    access_log {{directory}}/access.log requests;
                    location / {
                        proxy_pass http://executors;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        {{retries}}
                    }
                    {{namedLocations}}
                }

            {{direct}}
            }

            """;
    }
}
