using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Api.Tests.NodePacks;

/// <summary>One executor for a test class, with the sample pack loaded from a temporary JARVIS_NODEPACKS_PATH directory.</summary>
public sealed class SamplePackServer : IAsyncLifetime
{
    private PackDirectory? _directory;
    private ExecutorServer? _server;

    public ExecutorServer Server => _server ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        _directory = PackDirectory.WithSamplePack();
        _server = await ExecutorServer.StartAsync(("JARVIS_NODEPACKS_PATH", _directory.Path));
    }

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        _directory?.Dispose();
    }
}
