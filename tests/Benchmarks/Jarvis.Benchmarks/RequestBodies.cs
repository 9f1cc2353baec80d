namespace Jarvis.Benchmarks;

/// <summary>Execute request bodies. Runs are idempotent per node_run_id, so every request gets an id of its own:
/// a repeated id would be a replay of a remembered result, not a run.</summary>
public static class RequestBodies
{
    public const string ExecutePath = "/v1/atomic-node-runs:execute";

    public static string CancelPath(string nodeRunId) => $"/v1/atomic-node-runs/{Uri.EscapeDataString(nodeRunId)}:cancel";

    public static string Echo(string nodeRunId) => Prefix(nodeRunId) + EchoSuffix;

    public static string Sleep(string nodeRunId, double seconds) => Prefix(nodeRunId) + SleepSuffix(seconds);

    /// <summary>Everything after the id; wrk's Lua script appends it to its own ids.</summary>
    public const string EchoSuffix =
        "\",\"run_id\":\"bench\",\"node_type_ref\":{\"node_type_id\":\"jarvis.core.echo\",\"version\":\"0.3.8\"},\"inputs\":{\"echo\":\"hi\"}}";

    public static string SleepSuffix(double seconds) =>
        "\",\"run_id\":\"bench\",\"node_type_ref\":{\"node_type_id\":\"jarvis.core.sleep\",\"version\":\"0.3.8\"},\"inputs\":{\"seconds\":" +
        seconds.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}}";

    public const string IdPrefix = "{\"node_run_id\":\"";

    private static string Prefix(string nodeRunId) => IdPrefix + nodeRunId;
}
