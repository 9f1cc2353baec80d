using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jarvis.Api.Contract;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ErrorEnvelope))]
[JsonSerializable(typeof(Health))]
[JsonSerializable(typeof(VersionInfo))]
[JsonSerializable(typeof(IReadOnlyList<NodeType>))]
internal sealed partial class ContractJson : JsonSerializerContext;
