namespace Jarvis.Api.Tests.Infrastructure;

/// <summary>An <see cref="ExecutorProcess"/> that is serving, with a client for it; disposing kills the process.</summary>
public sealed class ServingProcess : IAsyncDisposable
{
    private ServingProcess(ExecutorProcess process)
    {
        Process = process;
        Client = new HttpClient { BaseAddress = process.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public ExecutorProcess Process { get; }
    public HttpClient Client { get; }

    /// <param name="environment">Settings for the child; ARP_AUTH_PROFILE=dev-insecure is added unless given.</param>
    public static async Task<ServingProcess> StartAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var env = new Dictionary<string, string>(environment);
        env.TryAdd("ARP_AUTH_PROFILE", "dev-insecure");
        var process = ExecutorProcess.Start(env, args);
        try
        {
            await process.WaitUntilServingAsync(TimeSpan.FromSeconds(60));
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
        return new ServingProcess(process);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Process.DisposeAsync();
    }
}
