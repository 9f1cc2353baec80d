using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Jarvis.Api.Auth;

/// <summary>Reads a bare JWKS document (ARP_AUTH_JWKS_URI) as a configuration holding only signing keys,
/// so the same ConfigurationManager (caching, refresh on unknown kid, rate limit) serves both key sources.</summary>
internal sealed class JwksConfigurationRetriever : IConfigurationRetriever<OpenIdConnectConfiguration>
{
    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
    {
        var keys = new JsonWebKeySet(await retriever.GetDocumentAsync(address, cancel));
        var configuration = new OpenIdConnectConfiguration { JsonWebKeySet = keys, JwksUri = address };
        foreach (var key in keys.GetSigningKeys()) configuration.SigningKeys.Add(key);
        return configuration;
    }
}
