using Jarvis.Actors.Runs;
using Jarvis.Api.Contract;
using Jarvis.NodePacks.Core;
using Jarvis.NodePacks.Schema;
using Jarvis.NodePacks.Sdk;

// What the executor does for an echo run minus the actors: the same request reader (media type, size, UTF-8,
// duplicate keys, the ARP schema), the same input and output checks, the echo handler, the same JSON writer.
// Run-level features (idempotency, fingerprint, deadlines, admission, the per-run log line, metrics) are left
// out on purpose: this is the bound the executor is compared with.

const long MaxBodyBytes = 1024 * 1024;
var port = args.SkipWhile(a => a != "--port").Skip(1).FirstOrDefault() ?? "8090";

var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.Limits.MaxRequestBodySize = MaxBodyBytes;
});

var app = builder.Build();
var reader = new ExecuteRequestReader(MaxBodyBytes);
var echo = EchoNode.Definition;
var inputSchema = JsonSchemaValidator.Compile(echo.InputSchema);
var outputSchema = JsonSchemaValidator.Compile(echo.OutputSchema);

app.MapPost("/v1/atomic-node-runs:execute", async (HttpContext http) =>
{
    var (request, error) = await reader.ReadAsync(http.Request, http.RequestAborted);
    if (error is not null) return error;
    var startedAt = DateTimeOffset.UtcNow;
    if (request!.NodeTypeId != echo.NodeTypeId)
        return Answer(RunResult.Failed(request.NodeRunId, startedAt,
            new RunError(RunErrorCodes.UnknownNodeType, $"node type '{request.NodeTypeId}' is not installed on this endpoint")));
    var errors = new List<SchemaError>();
    if (!inputSchema.Validate(request.Inputs, errors))
        return Answer(RunResult.Failed(request.NodeRunId, startedAt,
            new RunError(RunErrorCodes.InvalidInputs, "the inputs do not match the node's input_schema")));
    var context = new NodeContext
    {
        RunId = request.RunId,
        NodeRunId = request.NodeRunId,
        NodeTypeId = request.NodeTypeId,
        Deadline = startedAt.AddMinutes(5),
    };
    var outputs = await echo.Handler!(request.Inputs, context, http.RequestAborted);
    return outputSchema.Validate(outputs, errors)
        ? Answer(RunResult.Succeeded(request.NodeRunId, startedAt, Utf8JsonObject.From(outputs)))
        : Answer(RunResult.Failed(request.NodeRunId, startedAt,
            new RunError(RunErrorCodes.InvalidOutputs, "the handler's outputs do not match the node's output_schema")));
});
app.MapGet("/v1/health", () => TypedResults.Json(
    new Health("ok", WireTimestamp.Of(DateTimeOffset.UtcNow), []), ContractJson.Default.Health));

await app.RunAsync();

static IResult Answer(RunResult result) =>
    new ExecuteResultResponse(result);
