using System.Security.Claims;
using Jarvis.Actors.Diagnostics;
using Jarvis.Api.Contract;
using Jarvis.Api.Errors;
using Jarvis.NodePacks.Sdk;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Prometheus;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Jarvis.Api.Auth;

/// <summary>JWT bearer authentication with the reference's ARP_AUTH_* semantics (DESIGN §6): JwtBearer validates,
/// a small gate decides which paths need a token and answers every refusal as an ErrorEnvelope.</summary>
public static class ArpAuthentication
{
    private const string Bearer = "Bearer ";

    public static IServiceCollection AddArpAuthentication(this IServiceCollection services, AuthOptions auth)
    {
        services.AddSingleton(auth);
        if (auth.Mode == AuthMode.Disabled) return services;
        // Authentication registers data protection; bearer tokens never use it, so keep its keys in memory
        // rather than writing (and warning about) an unencrypted key ring on disk.
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(provider => KeySource(auth, provider));
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<SigningKeySource>((jwt, keys) =>
        {
            jwt.TokenHandlers.Clear();
            jwt.TokenHandlers.Add(new KeyRotationTokenHandler(keys));
            jwt.MapInboundClaims = false; // keep "sub", "azp", "scope" as the issuer wrote them
            jwt.RefreshOnIssuerKeyNotFound = false; // the token handler looks up unknown kids itself, and waits for the answer
            jwt.ConfigurationManager = keys;
            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidAlgorithms = auth.Algorithms,
                ValidateIssuer = auth.Issuer is not null,
                ValidIssuer = auth.Issuer,
                ValidateAudience = auth.Audiences.Count > 0,
                ValidAudiences = auth.Audiences,
                ValidateLifetime = true,
                RequireExpirationTime = true,
                RequireSignedTokens = true,
                ClockSkew = auth.ClockSkew,
                ValidTypes = ["JWT", "at+jwt", "application/at+jwt"],
                NameClaimType = "sub",
            };
        });
        return services;
    }

    private static SigningKeySource KeySource(AuthOptions auth, IServiceProvider provider)
    {
        var source = auth.KeySource!;
        IConfigurationRetriever<OpenIdConnectConfiguration> retriever = auth.JwksUri is not null
            ? new JwksConfigurationRetriever()
            : new OpenIdConnectConfigurationRetriever();
        return new SigningKeySource(source.AbsoluteUri, retriever, new HttpDocumentRetriever { RequireHttps = !AuthOptions.IsLocal(source) },
            auth.KeyRefreshMinInterval, provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<SigningKeySource>>(),
            provider.GetRequiredService<MetricFactory>());
    }

    /// <summary>Runs before the endpoints: exempt paths (exact, case-sensitive) pass; otherwise a valid bearer token
    /// sets the caller, no header is anonymous in optional mode, and anything else is 401.</summary>
    public static WebApplication UseArpAuthentication(this WebApplication app)
    {
        var auth = app.Services.GetRequiredService<AuthOptions>();
        if (auth.Mode == AuthMode.Disabled) return app;
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ArpAuthentication));
        var keys = app.Services.GetRequiredService<SigningKeySource>();
        app.Use(async (http, next) =>
        {
            if (auth.IsExempt(http.Request.Path.Value ?? "")) { await next(http); return; }
            var header = http.Request.Headers.Authorization;
            if (header.Count == 0)
            {
                if (auth.Mode == AuthMode.Optional) await next(http);
                else await RefuseAsync(http, AuthFailure.MissingHeader);
                return;
            }
            if (!IsBearerHeader(header))
            {
                await RefuseAsync(http, AuthFailure.InvalidHeader);
                return;
            }
            var result = await http.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);
            if (!result.Succeeded)
            {
                var failure = AuthFailure.Of(result.Failure);
                if (failure == AuthFailure.InvalidToken && keys.HoldsNoKeys) failure = AuthFailure.KeysUnavailable;
                // The path is the caller's (a cancel URL holds a node_run_id of up to ~64 KB): percent-encoded, as
                // PathString prints it, it holds no control character but still needs cutting. The cause may quote the
                // token (its kid, say).
                log.LogInformation("401 {Reason} for {Method} {Path}: {Cause}", failure.Message, LogText.Id(http.Request.Method),
                    LogText.Id(http.Request.Path.ToString()), LogText.Message(result.Failure?.Message ?? "no token"));
                await RefuseAsync(http, failure);
                return;
            }
            http.User = result.Principal;
            await next(http);
        });
        return app;
    }

    /// <summary>Exactly one header holding "Bearer" (any case) and one token.</summary>
    private static bool IsBearerHeader(Microsoft.Extensions.Primitives.StringValues header) =>
        header is [{ } value] && value.Length > Bearer.Length && value.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase) &&
        value.AsSpan(Bearer.Length).Trim().IndexOfAny(' ', '\t') < 0 && !value.AsSpan(Bearer.Length).Trim().IsEmpty;

    private static Task RefuseAsync(HttpContext http, AuthFailure failure)
    {
        http.Response.Headers.WWWAuthenticate = failure.WwwAuthenticate;
        UnreadRequestBody.CloseConnectionAfterAnswer(http);
        return ApiErrors.Result(StatusCodes.Status401Unauthorized, "unauthorized", failure.Message).ExecuteAsync(http);
    }

    /// <summary>The caller as node handlers see it: <c>sub</c> and each claim type's first value.</summary>
    public static CallerPrincipal CallerOf(ClaimsPrincipal user)
    {
        if (user.Identity is not { IsAuthenticated: true }) return CallerPrincipal.Anonymous;
        var claims = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var claim in user.Claims) claims.TryAdd(claim.Type, claim.Value);
        return new CallerPrincipal(user.FindFirst("sub")?.Value ?? "", claims);
    }
}
