namespace Jarvis.Actors.Serialization;

/// <summary>A message that may cross nodes in cluster mode: bound to <see cref="RunMessageSerializer"/>.
/// Messages that never leave a node say so with <c>INoSerializationVerificationNeeded</c> instead.</summary>
public interface ICrossNodeMessage;
