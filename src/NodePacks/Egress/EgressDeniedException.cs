namespace Jarvis.NodePacks.Egress;

/// <summary>The egress guard refused a destination; the message says which and why.</summary>
public sealed class EgressDeniedException(string message) : Exception(message);
