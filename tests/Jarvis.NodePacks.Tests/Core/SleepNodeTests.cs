using Jarvis.NodePacks.Core;

namespace Jarvis.NodePacks.Tests.Core;

public sealed class SleepNodeTests
{
    /// <summary>Long enough that finishing it would mean cancellation was ignored.</summary>
    private const string LongSleep = """{"seconds": 600}""";
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("""{"seconds": 0.05}""", 0.05)]
    [InlineData("""{"duration_seconds": 0.05}""", 0.05)]
    [InlineData("""{"seconds": null, "duration_seconds": 0.05}""", 0.05)]
    [InlineData("""{"seconds": 0}""", 0)]
    [InlineData("""{"seconds": null}""", 0)]
    [InlineData("""{"duration_seconds": null}""", 0)]
    [InlineData("{}", 0)]
    public async Task Reports_the_requested_seconds(string inputs, double requested)
    {
        var outputs = await Nodes.RunAsync(SleepNode.Definition, inputs).WaitAsync(Generous);

        Assert.Equal(requested, outputs["slept_seconds"]!.GetValue<double>());
    }

    [Fact]
    public async Task Seconds_wins_over_duration_seconds()
    {
        var outputs = await Nodes.RunAsync(SleepNode.Definition, """{"seconds": 0, "duration_seconds": 600}""").WaitAsync(Generous);

        Assert.True(outputs["slept_seconds"]!.GetValue<double>() < 600);
    }

    [Fact]
    public async Task An_already_canceled_token_ends_it_with_OperationCanceledException()
    {
        using var canceled = new CancellationTokenSource();
        await canceled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Nodes.RunAsync(SleepNode.Definition, LongSleep, canceled.Token).WaitAsync(Generous));
    }

    [Fact]
    public async Task Canceling_while_it_sleeps_ends_it_with_OperationCanceledException()
    {
        using var cancellation = new CancellationTokenSource();
        var sleeping = Nodes.RunAsync(SleepNode.Definition, LongSleep, cancellation.Token);
        Assert.False(sleeping.IsCompleted);

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sleeping.WaitAsync(Generous));
    }
}
