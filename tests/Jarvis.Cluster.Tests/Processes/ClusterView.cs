namespace Jarvis.Cluster.Tests.Processes;

/// <summary>What one instance's <c>/v1/health</c> says about the cluster: its check named <c>cluster</c>, with
/// <c>details</c> <c>{ self, members_up, unreachable, remoting }</c>, and the whole answer for messages.</summary>
public sealed record ClusterView(string Status, string Self, int MembersUp, int Unreachable, string Remoting, string Health)
{
    public override string ToString() => $"{Status}: self {Self}, {MembersUp} up, {Unreachable} unreachable";
}
