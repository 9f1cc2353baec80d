using Akka.Actor;
using Jarvis.NodePacks.Schema;
using Jarvis.NodePacks.Sdk;

namespace Jarvis.Actors.Registry;

/// <summary>An installed node: its pack, its definition, the Props that run it, and its compiled schemas.</summary>
public sealed record NodeRegistration(
    string PackId,
    string PackVersion,
    NodeDefinition Definition,
    Props Props,
    JsonSchemaValidator InputValidator,
    JsonSchemaValidator OutputValidator);
