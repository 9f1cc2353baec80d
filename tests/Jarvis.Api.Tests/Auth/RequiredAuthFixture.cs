using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Api.Tests.Auth;

/// <summary>One identity provider publishing one RSA key, and one executor requiring its tokens (keys from the JWKS
/// URL, RS256 only, default skew and exempt paths), shared by the tests that do not change either.</summary>
public sealed class RequiredAuthFixture : IAsyncLifetime
{
    public TestIdentityProvider Idp { get; private set; } = null!;
    public TestSigningKey Key { get; } = TestSigningKey.NewRsa();
    /// <summary>Also published: the JWKS holds two keys, as real ones do.</summary>
    public TestSigningKey EcKey { get; } = TestSigningKey.NewEc();
    public ExecutorServer Server { get; private set; } = null!;
    public HttpClient Client => Server.Client;

    public string Token(Func<TokenSpec, TokenSpec>? change = null) => AuthHttp.Token(Idp, Key, change);

    public async Task InitializeAsync()
    {
        Idp = await TestIdentityProvider.StartAsync(Key, EcKey);
        try
        {
            Server = await ExecutorServer.StartAsync(AuthHttp.Packs(),
                AuthHttp.Required(Idp));
        }
        catch
        {
            await Idp.DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (Server is not null) await Server.DisposeAsync();
        await Idp.DisposeAsync();
    }
}
