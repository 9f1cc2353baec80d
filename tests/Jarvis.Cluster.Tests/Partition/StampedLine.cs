namespace Jarvis.Cluster.Tests.Partition;

/// <summary>A line a process wrote, with the test clock's reading when the test received it.</summary>
internal sealed record StampedLine(TimeSpan ArrivedAt, string Text)
{
    public override string ToString() => $"[{ArrivedAt.TotalSeconds,7:0.000}] {Text}";
}
