using System.Net;
using System.Text.Json.Nodes;
using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Api.Tests.Auth;

/// <summary>/openapi.json and /docs follow ARP_AUTH_EXEMPT_PATHS as the reference treats them (exact paths; an exempt
/// /docs also covers the page's own files), and the document's security says what this instance requires.</summary>
public sealed class ApiDocsAuthTests
{
    [Fact]
    public async Task With_the_default_exempt_paths_the_document_and_the_docs_page_need_a_token()
    {
        var key = TestSigningKey.NewRsa();
        await using var idp = await TestIdentityProvider.StartAsync(key);
        await using var server = await ExecutorServer.StartAsync(AuthHttp.Required(idp));

        await AuthHttp.AssertUnauthorizedAsync(await server.Client.GetAsync("/openapi.json"), AuthHttp.MissingHeader);
        await AuthHttp.AssertUnauthorizedAsync(await server.Client.GetAsync("/docs/index.html"), AuthHttp.MissingHeader);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/openapi.json");
        request.Headers.TryAddWithoutValidation("Authorization", AuthHttp.Bearer(AuthHttp.Token(idp, key)));
        var document = JsonNode.Parse(await (await server.Client.SendAsync(request)).Content.ReadAsStringAsync())!;
        Assert.NotNull(document["components"]!["securitySchemes"]!["ArpBearerJWT"]);
        Assert.Empty(document["paths"]!["/v1/health"]!["get"]!["security"]!.AsArray());
        Assert.Equal("ArpBearerJWT", Assert.Single(document["paths"]!["/v1/atomic-node-runs:execute"]!["post"]!["security"]!.AsArray())!.AsObject().Single().Key);
    }

    [Fact]
    public async Task Exempting_the_document_and_the_docs_page_serves_both_and_the_page_files_without_a_token()
    {
        var key = TestSigningKey.NewRsa();
        await using var idp = await TestIdentityProvider.StartAsync(key);
        await using var server = await ExecutorServer.StartAsync(AuthHttp.Required(idp, extra: ("ARP_AUTH_EXEMPT_PATHS", "/v1/health,/openapi.json,/docs")));

        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/openapi.json")).StatusCode);
        using var page = await server.Client.GetAsync("/docs/index.html");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("swagger-ui", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/docs/swagger-ui-bundle.js")).StatusCode);
        // exact paths, as in the reference: the other spelling of the document and everything else still need a token
        await AuthHttp.AssertUnauthorizedAsync(await server.Client.GetAsync("/openapi/v1.json"), AuthHttp.MissingHeader);
        await AuthHttp.AssertUnauthorizedAsync(await server.Client.GetAsync("/v1/version"), AuthHttp.MissingHeader);
        await AuthHttp.AssertUnauthorizedAsync(await server.Client.GetAsync("/docsx"), AuthHttp.MissingHeader);
    }

    [Fact]
    public async Task With_auth_disabled_the_document_claims_no_security()
    {
        await using var server = await ExecutorServer.StartAsync();
        var document = JsonNode.Parse(await server.Client.GetStringAsync("/openapi.json"))!;
        Assert.Null(document["components"]!["securitySchemes"]);
        Assert.Null(document["paths"]!["/v1/atomic-node-runs:execute"]!["post"]!["security"]);
    }
}
