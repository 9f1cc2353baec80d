using Jarvis.Api.Contract.OpenApi;

namespace Jarvis.Api.Endpoints;

/// <summary>The OpenAPI document generated from the routes, at the reference's <c>/openapi.json</c> (and ASP.NET's
/// usual <c>/openapi/v1.json</c>), and an interactive page at <c>/docs</c> (Swagger UI, its files served by the
/// executor itself: the page works without network access). Both follow ARP_AUTH_EXEMPT_PATHS like every other path.</summary>
public static class ApiDocsApi
{
    public const string DocumentPath = "/openapi.json";
    public const string DocsPath = "/docs";

    public static IServiceCollection AddApiDocs(this IServiceCollection services) =>
        services.AddOpenApi(options => options.AddDocumentTransformer<ArpOpenApiDocument>());

    public static WebApplication MapApiDocs(this WebApplication app)
    {
        app.MapOpenApi(DocumentPath);
        app.MapOpenApi("/openapi/{documentName}.json");
        app.UseSwaggerUI(ui =>
        {
            ui.RoutePrefix = DocsPath.TrimStart('/');
            ui.DocumentTitle = "JARVIS Atomic Executor (ARP v1)";
            ui.SwaggerEndpoint(DocumentPath, "ARP v1");
            ui.EnableTryItOutByDefault();
        });
        return app;
    }

    /// <summary>Whether <paramref name="path"/> is one of the docs page's own files (<c>/docs/…</c>): exempting
    /// <c>/docs</c> exempts them too, since the page cannot load without them.</summary>
    public static bool IsDocsAsset(string path) => path.StartsWith(DocsPath + "/", StringComparison.Ordinal);
}
