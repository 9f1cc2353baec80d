using Microsoft.IdentityModel.Tokens;

namespace Jarvis.Api.Auth;

/// <summary>Why a request is 401, as the reference words it: the <c>WWW-Authenticate</c> error and the message.</summary>
public sealed record AuthFailure(string Error, string Message)
{
    public static readonly AuthFailure MissingHeader = new("invalid_request", "Missing Authorization header");
    public static readonly AuthFailure InvalidHeader = new("invalid_request", "Invalid Authorization header");
    public static readonly AuthFailure Expired = new("invalid_token", "Token expired");
    public static readonly AuthFailure WrongAudience = new("invalid_token", "Invalid token audience");
    public static readonly AuthFailure WrongIssuer = new("invalid_token", "Invalid token issuer");
    public static readonly AuthFailure KeysUnavailable = new("invalid_token", "Unable to fetch JWKS");
    public static readonly AuthFailure InvalidToken = new("invalid_token", "Invalid token");

    public static AuthFailure Of(Exception? failure) => failure switch
    {
        SecurityTokenExpiredException => Expired,
        SecurityTokenInvalidAudienceException => WrongAudience,
        SecurityTokenInvalidIssuerException => WrongIssuer,
        SigningKeysUnavailableException => KeysUnavailable,
        _ => InvalidToken,
    };

    public string WwwAuthenticate => $"Bearer error=\"{Error}\", error_description=\"{Message}\"";
}
