using System.Text.Json.Nodes;

namespace Jarvis.Api.Contract;

// The JSON shapes of ARP v1 answers. Names are written snake_case and null members are omitted
// (see ContractJson), because the schemas reject null for absent optional fields.

public sealed record ErrorEnvelope(ErrorBody Error);

public sealed record ErrorBody(string Code, string Message, JsonObject? Details = null, bool? Retryable = null);

public sealed record Health(string Status, string Time, IReadOnlyList<HealthCheck> Checks);

public sealed record HealthCheck(string Name, string Status, string? Message = null, JsonObject? Details = null);

public sealed record VersionInfo(string ServiceName, string ServiceVersion, IReadOnlyList<string> SupportedApiVersions);

public sealed record NodeType(
    string NodeTypeId,
    string Version,
    string Kind,
    string Description,
    JsonObject InputSchema,
    JsonObject OutputSchema,
    JsonObject Constraints,
    JsonObject Extensions);
