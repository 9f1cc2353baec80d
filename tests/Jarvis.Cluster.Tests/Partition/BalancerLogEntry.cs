using System.Globalization;

namespace Jarvis.Cluster.Tests.Partition;

/// <summary>One line of the balancer's access log:
/// <c>$msec $http_x_exchange $request_uri $status "$upstream_addr" "$upstream_status" $request_time</c>.</summary>
internal sealed record BalancerLogEntry(string Exchange, string RequestUri, int Status, IReadOnlyList<string> Upstreams,
    string UpstreamStatuses, double RequestSeconds, string Line)
{
    /// <summary>nginx tried more than one executor for this request (a retry after an error or a 503).</summary>
    public bool RetriedElsewhere => Upstreams.Distinct().Count() > 1;

    /// <summary>As the report and the findings show it: the upstreams tried and what each answered.</summary>
    public string Tried => $"{Status} in {RequestSeconds:0.000} s, tried {string.Join(", ", Upstreams)} → {UpstreamStatuses}";

    public static BalancerLogEntry Parse(string line)
    {
        var quoted = line.Split('"');
        if (quoted.Length != 5) throw new FormatException($"unexpected access log line: {line}");
        var head = quoted[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // several upstreams are listed as "a, b"; " : " separates the groups of an internal redirect
        var upstreams = quoted[1].Split([", ", " : "], StringSplitOptions.RemoveEmptyEntries);
        return new BalancerLogEntry(head[1], head[2], int.Parse(head[3], CultureInfo.InvariantCulture), upstreams,
            quoted[3], double.Parse(quoted[4].Trim(), CultureInfo.InvariantCulture), line);
    }
}
