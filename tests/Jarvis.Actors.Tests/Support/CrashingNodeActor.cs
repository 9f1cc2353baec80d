using Akka.Actor;
using Jarvis.NodePacks.Sdk;

namespace Jarvis.Actors.Tests.Support;

/// <summary>A custom node actor that throws as soon as it is asked to run: its actor crashes.</summary>
public sealed class CrashingNodeActor : ReceiveActor
{
    public const string CrashMessage = "node actor crashed on purpose: secret-crash-detail";

    public CrashingNodeActor(HandlerLog log)
    {
        Receive<RunNode>(run =>
        {
            log.Started(run.Context.NodeRunId, run.Inputs, run.Context, CancellationToken.None);
            throw new InvalidOperationException(CrashMessage);
        });
    }

    public static Props Props(HandlerLog log) => Akka.Actor.Props.Create(() => new CrashingNodeActor(log));
}
