using Akka.Actor;

namespace Jarvis.Actors.Runs;

/// <summary>Props that construct their actor with a plain delegate. <c>Props.Create&lt;T&gt;(args)</c> binds the
/// constructor by reflection on every spawn, which showed up on the per-run hot path; this does not.</summary>
internal sealed class ActorFactory<TActor>(Func<TActor> create) : IIndirectActorProducer where TActor : ActorBase
{
    public Type ActorType => typeof(TActor);

    public ActorBase Produce() => create();

    public void Release(ActorBase actor) { }

    public static Props Props(Func<TActor> create) => Akka.Actor.Props.CreateBy(new ActorFactory<TActor>(create));
}
