using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Jarvis.Api.Auth;

/// <summary>JwtBearer's token handler, plus key rotation: a token whose <c>kid</c> no held key has is checked again
/// once <see cref="SigningKeySource"/> has looked at the issuer's current keys, so the first token signed with a newly
/// published key passes. (JwtBearer alone only asks for a background refresh and refuses that token.)</summary>
internal sealed class KeyRotationTokenHandler(SigningKeySource keys) : JsonWebTokenHandler
{
    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters parameters)
    {
        var result = await base.ValidateTokenAsync(token, parameters);
        if (result.IsValid || result.Exception is not SecurityTokenSignatureKeyNotFoundException) return result;
        switch (await keys.LookUpAsync(KidOf(token)))
        {
            case KidLookup.Found:
                var fresh = parameters.Clone();
                fresh.IssuerSigningKeys = (await keys.GetConfigurationAsync(CancellationToken.None)).SigningKeys;
                return await base.ValidateTokenAsync(token, fresh);
            case KidLookup.Unavailable:
                return new TokenValidationResult { IsValid = false, Exception = new SigningKeysUnavailableException(result.Exception.Message) };
            default:
                return result;
        }
    }

    /// <summary>The token got as far as the signature check, so its header is readable.</summary>
    private string? KidOf(string token)
    {
        try { return ReadJsonWebToken(token).Kid; }
        catch (Exception e) when (e is ArgumentException or SecurityTokenException) { return null; }
    }
}
