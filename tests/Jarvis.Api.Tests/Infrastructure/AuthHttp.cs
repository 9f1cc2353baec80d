using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Jarvis.NodePacks.Sdk;

namespace Jarvis.Api.Tests.Infrastructure;

/// <summary>Settings, tokens, authenticated calls and the 401 assertions of the JWT bearer auth contract (DESIGN §6).</summary>
public static class AuthHttp
{
    public const string Audience = "arp-atomic-executor";

    public const string MissingHeader = "Missing Authorization header";
    public const string InvalidHeader = "Invalid Authorization header";
    public const string TokenExpired = "Token expired";
    public const string InvalidAudience = "Invalid token audience";
    public const string InvalidIssuer = "Invalid token issuer";
    public const string UnableToFetchJwks = "Unable to fetch JWKS";
    public const string InvalidToken = "Invalid token";

    public static readonly TimeSpan RecoveryTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Required auth against <paramref name="idp"/>: its issuer, our audience, keys from its JWKS URL
    /// (or, with <paramref name="viaDiscovery"/>, from the jwks_uri its discovery document names), key refresh at most
    /// once a second. <paramref name="extra"/> come last and so override.</summary>
    public static (string Key, string Value)[] Required(TestIdentityProvider idp, bool viaDiscovery = false, params (string Key, string Value)[] extra)
    {
        var settings = new List<(string, string)>
        {
            ("ARP_AUTH_PROFILE", "enterprise"),
            ("ARP_AUTH_MODE", "required"),
            ("ARP_AUTH_ISSUER", idp.Issuer),
            ("ARP_AUTH_AUDIENCE", Audience),
        };
        settings.Add(viaDiscovery ? ("ARP_AUTH_OIDC_DISCOVERY_URL", idp.DiscoveryUrl) : ("ARP_AUTH_JWKS_URI", idp.JwksUrl));
        settings.AddRange(extra);
        return settings.ToArray();
    }

    /// <summary>The core nodes (echo, sleep, ...) plus <see cref="CallerPack"/>.</summary>
    public static IReadOnlyList<INodePack> Packs() => [new Jarvis.NodePacks.Core.CoreNodePack(), new CallerPack()];

    /// <summary>A token <paramref name="idp"/> would issue for the executor, signed by <paramref name="key"/>.</summary>
    public static string Token(TestIdentityProvider idp, TestSigningKey key, Func<TokenSpec, TokenSpec>? change = null)
    {
        var spec = new TokenSpec { Issuer = idp.Issuer, Audience = Audience };
        return TestTokens.Mint(key, change is null ? spec : change(spec));
    }

    public static string Bearer(string token) => $"Bearer {token}";

    /// <summary>Sends a request with exactly this Authorization header value (none when null).</summary>
    public static Task<HttpResponseMessage> SendAsync(this HttpClient client, HttpMethod method, string path, string? authorization, string? json = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        if (json is not null) request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(json)) { Headers = { { "Content-Type", "application/json" } } };
        else if (method == HttpMethod.Post) request.Content = new ByteArrayContent([]);
        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> ExecuteWithAsync(this HttpClient client, string? authorization, string json) =>
        client.SendAsync(HttpMethod.Post, ExecuteRequests.ExecutePath, authorization, json);

    public static Task<HttpResponseMessage> EchoWithTokenAsync(this HttpClient client, string? token, string text = "hi") =>
        client.ExecuteWithAsync(token is null ? null : Bearer(token), ExecuteRequests.Echo(text));

    /// <summary>The RFC 6750 error code the contract pairs with each message.</summary>
    public static string ErrorCodeFor(string message) => message is MissingHeader or InvalidHeader ? "invalid_request" : "invalid_token";

    /// <summary>Asserts the contract's 401: an ErrorEnvelope (spec schema, application/json) with code unauthorized and
    /// exactly <paramref name="message"/>, and <c>WWW-Authenticate: Bearer error="E", error_description="M"</c>.</summary>
    public static async Task AssertUnauthorizedAsync(HttpResponseMessage response, string message)
    {
        var error = await HttpAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal(message, error["message"]!.GetValue<string>());
        Assert.True(response.Headers.TryGetValues("WWW-Authenticate", out var challenges), "401 without a WWW-Authenticate header");
        var challenge = Assert.Single(challenges!);
        Assert.Equal($"Bearer error=\"{ErrorCodeFor(message)}\", error_description=\"{message}\"", challenge);
    }

    /// <summary>Polls (bounded) until an echo with <paramref name="token"/> succeeds; returns how many attempts it took.</summary>
    public static async Task<int> EchoEventuallySucceedsAsync(this HttpClient client, string token, string what, TimeSpan? timeout = null)
    {
        var attempts = 0;
        await Eventually.UntilAsync(async () =>
        {
            attempts++;
            using var response = await client.EchoWithTokenAsync(token);
            return response.StatusCode;
        }, status => status == HttpStatusCode.OK, timeout ?? RecoveryTimeout, what);
        return attempts;
    }
}

/// <summary>A node that answers with who called it: <c>{"anonymous":bool,"subject"?:string,"claims":{type:value}}</c>.</summary>
public sealed class CallerPack : INodePack
{
    public const string NodeTypeId = "test.whoami";
    public const string NodeVersion = "1.0.0";

    public string Id => "test.whoami";
    public string Version => NodeVersion;

    public IReadOnlyList<NodeDefinition> Nodes { get; } =
    [
        new()
        {
            NodeTypeId = NodeTypeId,
            Version = NodeVersion,
            Description = "Returns the caller principal it was given.",
            InputSchema = new JsonObject { ["type"] = "object" },
            OutputSchema = new JsonObject { ["type"] = "object" },
            Handler = (_, context, _) =>
            {
                var claims = new JsonObject();
                foreach (var (type, value) in context.Caller.Claims) claims[type] = value;
                var outputs = new JsonObject { ["anonymous"] = context.Caller.IsAnonymous, ["claims"] = claims };
                if (context.Caller.Subject is { } subject) outputs["subject"] = subject;
                return ValueTask.FromResult(outputs);
            },
        },
    ];

    public static string Request() => new JsonObject
    {
        ["node_run_id"] = ExecuteRequests.NewId("who"),
        ["run_id"] = "run-auth-tests",
        ["node_type_ref"] = new JsonObject { ["node_type_id"] = NodeTypeId, ["version"] = NodeVersion },
        ["inputs"] = new JsonObject(),
    }.ToJsonString();
}
