namespace Jarvis.Api.Config;

/// <summary>A configuration problem that stops start-up; its message is printed as one line.</summary>
public sealed class StartupException(string message) : Exception(message);
