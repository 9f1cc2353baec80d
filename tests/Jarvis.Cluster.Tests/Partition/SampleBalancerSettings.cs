using System.Text.RegularExpressions;

namespace Jarvis.Cluster.Tests.Partition;

/// <summary>
/// The load-balancing directives of the product's own nginx sample (samples/cluster/nginx.conf): the parameters of
/// its upstream servers (e.g. <c>max_fails=3 fail_timeout=5s</c>), its upstream <c>keepalive</c>, and its
/// <c>proxy_next_upstream*</c> and proxy timeout directives, its <c>error_page</c> directives and the named locations
/// they send to (<c>location @name { … }</c>). The partition test balances with exactly these, so it tests what
/// operators are told to run, and follows the sample when it changes.
/// </summary>
internal sealed partial record SampleBalancerSettings(string ServerParameters, string Keepalive, IReadOnlyList<string> ProxyDirectives,
    IReadOnlyList<string> ErrorPages, IReadOnlyList<string> NamedLocations)
{
    public const string RelativePath = "samples/cluster/nginx.conf";

    public static SampleBalancerSettings Load()
    {
        var path = Find();
        var lines = File.ReadAllLines(path).Select(line => line.Split('#')[0].Trim()).Where(line => line.Length > 0).ToList();
        var server = lines.Select(line => ServerLine().Match(line)).FirstOrDefault(m => m.Success)
            ?? throw new InvalidOperationException($"{path} has no upstream `server HOST:PORT …;` line");
        var keepalive = lines.FirstOrDefault(line => line.StartsWith("keepalive ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"{path} has no upstream keepalive");
        var proxy = lines.Where(line => ProxyDirective().IsMatch(line)).ToList();
        if (!proxy.Any(line => line.StartsWith("proxy_next_upstream ", StringComparison.Ordinal)))
            throw new InvalidOperationException($"{path} has no proxy_next_upstream directive: what would the balancer retry?");
        var errorPages = lines.Where(line => line.StartsWith("error_page ", StringComparison.Ordinal)).ToList();
        return new SampleBalancerSettings(server.Groups["parameters"].Value.Trim(), keepalive, proxy, errorPages, NamedLocationsOf(lines));
    }

    /// <summary>Each <c>location @name { … }</c> block, whole (its directives hold no braces of their own).</summary>
    private static List<string> NamedLocationsOf(List<string> lines)
    {
        var blocks = new List<string>();
        for (var i = 0; i < lines.Count; i++)
        {
            if (!lines[i].StartsWith("location @", StringComparison.Ordinal)) continue;
            var end = lines.FindIndex(i, line => line == "}");
            blocks.Add(string.Join("\n", lines.Skip(i).Take(end - i + 1)));
            i = end;
        }
        return blocks;
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, RelativePath);
            if (File.Exists(candidate)) return candidate;
        }
        throw new InvalidOperationException($"{RelativePath} was not found above {AppContext.BaseDirectory}");
    }

    public override string ToString() =>
        $"server … {ServerParameters}; {Keepalive} {string.Join(" ", ProxyDirectives)} {string.Join(" ", ErrorPages)}";

    [GeneratedRegex(@"^server\s+\S+:\d+(?<parameters>[^;]*);$")]
    private static partial Regex ServerLine();

    [GeneratedRegex(@"^(proxy_next_upstream\w*|proxy_connect_timeout|proxy_read_timeout|proxy_send_timeout)\s[^;]*;$")]
    private static partial Regex ProxyDirective();
}
