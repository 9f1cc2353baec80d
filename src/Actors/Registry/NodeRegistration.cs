using Akka.Actor;
using Jarvis.Actors.Runs;
using Jarvis.NodePacks.Schema;
using Jarvis.NodePacks.Sdk;

namespace Jarvis.Actors.Registry;

/// <summary>An installed node: its pack, its definition, how it runs, and its compiled schemas. A plain handler
/// node (<see cref="NodeDefinition.Handler"/>) runs inside its run's actor; an actor-native node has
/// <see cref="ActorProps"/>, and its run actor starts one such child per run.</summary>
public sealed record NodeRegistration(
    string PackId,
    string PackVersion,
    NodeDefinition Definition,
    Props? ActorProps,
    JsonSchemaValidator InputValidator,
    JsonSchemaValidator OutputValidator,
    OrphanTracker Orphans);
