using Jarvis.Api.Auth;
using Jarvis.Api.Endpoints;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace Jarvis.Api.Contract.OpenApi;

/// <summary>
/// Completes the document ASP.NET Core generates from the routes: the ARP standard's operation ids, request and answer
/// schemas (<see cref="ArpSchemaComponents"/>), every status code an operation really answers, and the bearer scheme
/// as this instance applies it (none with auth disabled, optional in optional mode, none on exempt paths).
/// The endpoints read and write their bodies themselves, so the generator alone knows only paths and parameters.
/// </summary>
internal sealed class ArpOpenApiDocument(AuthOptions auth) : IOpenApiDocumentTransformer
{
    public const string BearerScheme = "ArpBearerJWT";

    private static readonly IReadOnlyDictionary<string, IReadOnlyList<Answer>> AnswersByOperation = new Dictionary<string, IReadOnlyList<Answer>>
    {
        [OperationIds.Health] = [new("200", "Health of the executor and its checks (status ok, degraded or down).", "Health"), Answer.Stopping, Answer.Other],
        [OperationIds.Version] = [new("200", "Service name, version and the ARP API versions it serves.", "VersionInfo"), Answer.Stopping, Answer.Other],
        [OperationIds.Execute] =
        [
            new("200", "The run's result, for every run executed or attempted: succeeded, failed (unknown_node_type, invalid_inputs, " +
                       "invalid_outputs, handler_error, timeout) or canceled. A repeat of a finished node_run_id gets the remembered result.",
                "AtomicExecuteResult"),
            new("400", "invalid_request: the body is not JSON, has a duplicate key, or does not match AtomicExecuteRequest " +
                       "(details.errors[] names each offending path); or the HTTP framing is broken.", "ErrorEnvelope"),
            Answer.Unauthorized, Answer.Forbidden,
            new("408", "The request body arrived too slowly and was abandoned.", "ErrorEnvelope"),
            new("409", "node_run_conflict: this node_run_id is running or finished with another node_type_ref or other inputs.", "ErrorEnvelope"),
            new("413", "payload_too_large: the body exceeds JARVIS_MAX_BODY_BYTES.", "ErrorEnvelope"),
            new("415", "unsupported_media_type: the body must be application/json (UTF-8).", "ErrorEnvelope"),
            Answer.Unavailable, Answer.Other,
        ],
        [OperationIds.Cancel] =
        [
            new("204", "Canceled, or cancellation requested; also for an unknown or finished id (a cancel before its execute is " +
                       "remembered, and that execute answers canceled)."),
            Answer.Unauthorized, Answer.Forbidden, Answer.Unavailable, Answer.Other,
        ],
        [OperationIds.NodeTypes] = [new("200", "Every installed node type.", "NodeType", IsArray: true), Answer.Unauthorized, Answer.Unavailable, Answer.Other],
    };

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "JARVIS Atomic Executor (ARP v1)",
            Version = ServiceInfoApi.ServiceVersion,
            Description = "An ARP Standard spec/v1 Atomic Executor. Every answer other than 2xx is an ErrorEnvelope, also on " +
                          "routes not listed here (404 not_found, 405 method_not_allowed, 500 internal_error). " +
                          "GET /v1/node-types and GET /metrics (Prometheus text) are extensions of the standard.",
        };
        document.Servers = []; // relative to wherever the document was fetched from, also behind a balancer
        AddSchemas(document);
        var secured = AddSecurity(document);
        foreach (var (path, item) in document.Paths)
            foreach (var (method, operation) in item.Operations ?? [])
                Complete(document, path, method, operation, secured);
        return Task.CompletedTask;
    }

    private static void AddSchemas(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        foreach (var (name, json) in ArpSchemaComponents.All())
        {
            var schema = OpenApiModelFactory.Parse<OpenApiSchema>(json.ToJsonString(), OpenApiSpecVersion.OpenApi3_1, document, out var diagnostic, "json");
            if (schema is null || diagnostic.Errors.Count > 0)
                throw new InvalidOperationException($"the {name} schema is not valid OpenAPI: {string.Join("; ", diagnostic.Errors.Select(e => e.Message))}");
            document.Components.Schemas[name] = schema;
        }
    }

    /// <summary>The requirement for operations that need a token, or null when none does.</summary>
    private List<OpenApiSecurityRequirement>? AddSecurity(OpenApiDocument document)
    {
        if (auth.Mode == AuthMode.Disabled) return null;
        document.Components!.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
        {
            [BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "JWT",
                Description = "A JWT from the configured issuer (ARP_AUTH_*); paths in ARP_AUTH_EXEMPT_PATHS need none.",
            },
        };
        var bearer = new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] };
        // Optional mode: a request without a token is served as the anonymous caller.
        return auth.Mode == AuthMode.Optional ? [bearer, new OpenApiSecurityRequirement()] : [bearer];
    }

    private void Complete(OpenApiDocument document, string path, HttpMethod method, OpenApiOperation operation, List<OpenApiSecurityRequirement>? secured)
    {
        var id = operation.OperationId;
        if (id is null || !AnswersByOperation.TryGetValue(id, out var answers)) return;
        var head = method == HttpMethod.Head;
        if (head)
        {
            operation.OperationId = id + "_head";
            operation.Summary = (operation.Summary ?? id) + " (headers only)";
        }
        operation.Responses = new OpenApiResponses();
        foreach (var answer in answers) operation.Responses[answer.Status] = answer.ToResponse(document, withBody: !head);
        if (id == OperationIds.Execute)
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = new OpenApiSchemaReference("AtomicExecuteRequest", document) },
                },
            };
        // No security at all with auth disabled; an explicit empty list on exempt paths, which need no token.
        operation.Security = secured is null ? null : auth.IsExempt(path) ? [] : secured;
    }

    private sealed record Answer(string Status, string Description, string? Schema = null, bool IsArray = false,
        bool RetryAfter = false, bool Challenge = false)
    {
        public static readonly Answer Unauthorized = new("401", "unauthorized: authentication is on and the bearer token is missing or " +
            "not valid (WWW-Authenticate says why).", "ErrorEnvelope", Challenge: true);
        public static readonly Answer Forbidden = new("403", "Listed by the ARP standard; this executor lets every authenticated " +
            "caller run and cancel, so it does not answer 403 today.", "ErrorEnvelope");
        public static readonly Answer Unavailable = new("503", "Retryable, with Retry-After: overloaded (the queue is full), " +
            "shutting_down, or executor_unavailable (in cluster mode the run's node cannot be reached).", "ErrorEnvelope", RetryAfter: true);
        public static readonly Answer Stopping = new("503", "The executor is stopping (details.status is down); retry another " +
            "instance.", "ErrorEnvelope", RetryAfter: true);
        public static readonly Answer Other = new("default", "Any other error (500 internal_error).", "ErrorEnvelope");

        public OpenApiResponse ToResponse(OpenApiDocument document, bool withBody)
        {
            var response = new OpenApiResponse { Description = Description };
            if (Schema is not null && withBody)
            {
                IOpenApiSchema schema = new OpenApiSchemaReference(Schema, document);
                if (IsArray) schema = new OpenApiSchema { Type = JsonSchemaType.Array, Items = schema };
                response.Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } };
            }
            if (RetryAfter || Challenge)
                response.Headers = new Dictionary<string, IOpenApiHeader>
                {
                    [RetryAfter ? "Retry-After" : "WWW-Authenticate"] = new OpenApiHeader
                    {
                        Description = RetryAfter ? "Seconds to wait before retrying." : "Bearer challenge naming the problem.",
                        Schema = new OpenApiSchema { Type = RetryAfter ? JsonSchemaType.Integer : JsonSchemaType.String },
                    },
                };
            return response;
        }
    }
}

/// <summary>The ARP standard's operation ids (and ours for the node-types extension), set on the endpoints.</summary>
internal static class OperationIds
{
    public const string Health = "health";
    public const string Version = "version";
    public const string Execute = "execute_atomic_node_run";
    public const string Cancel = "cancel_atomic_node_run";
    public const string NodeTypes = "list_node_types";
}
