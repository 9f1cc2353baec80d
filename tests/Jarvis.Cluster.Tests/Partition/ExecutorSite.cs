namespace Jarvis.Cluster.Tests.Partition;

/// <summary>One executor's place in the test network: its letter (A, B, C), its address on the bridge, and the
/// Akka address it is configured with.</summary>
internal sealed record ExecutorSite(char Letter, string Address)
{
    public const int HttpPort = 8080;
    public const int RemotingPort = 4053;

    public string Name => Letter.ToString();

    public string AkkaAddress => $"akka.tcp://jarvis@{Address}:{RemotingPort}";

    public string HttpEndpoint => $"{Address}:{HttpPort}";

    public override string ToString() => $"{Name} ({Address})";
}
