namespace Jarvis.Benchmarks;

/// <summary>Servers started together: disposing stops every one whose start succeeded, so a start that fails midway
/// leaves none of the others running.</summary>
public sealed class ServerGroup(IReadOnlyList<Task<ServerProcess>> starts) : IDisposable
{
    /// <summary>The servers, once every start has completed.</summary>
    public IReadOnlyList<ServerProcess> Started => starts.Select(s => s.Result).ToList();

    public void Dispose()
    {
        foreach (var start in starts)
            if (start.IsCompletedSuccessfully) start.Result.Dispose();
    }
}
