using Microsoft.IdentityModel.Protocols;

namespace Jarvis.Api.Auth;

/// <summary>Fetches metadata and JWKS documents, but after a failed fetch answers that failure again, without
/// asking, until <paramref name="retryAfter"/> has passed: a down issuer is asked once per interval however many
/// requests arrive (the token library alone would retry almost at once while it has no keys yet).</summary>
internal sealed class ThrottledDocumentRetriever(IDocumentRetriever inner, TimeSpan retryAfter, TimeProvider clock) : IDocumentRetriever
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (DateTimeOffset At, Exception Error)> _failures = new(StringComparer.Ordinal);

    public async Task<string> GetDocumentAsync(string address, CancellationToken cancel)
    {
        lock (_gate)
        {
            if (_failures.TryGetValue(address, out var failure) && clock.GetUtcNow() - failure.At < retryAfter)
                throw new IOException($"fetching {address} failed {(clock.GetUtcNow() - failure.At).TotalSeconds:0.0} s ago; " +
                                      $"not retried for {retryAfter.TotalSeconds:0} s", failure.Error);
        }
        try
        {
            var document = await inner.GetDocumentAsync(address, cancel);
            lock (_gate) _failures.Remove(address);
            return document;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancel.IsCancellationRequested)
        {
            lock (_gate) _failures[address] = (clock.GetUtcNow(), e);
            throw;
        }
    }
}
