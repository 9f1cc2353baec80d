namespace Jarvis.Api.Config;

/// <summary>A configuration problem that stops start-up; its message is printed as one line.</summary>
public sealed class StartupException(string message) : Exception(OneLine(message))
{
    /// <summary>Messages may quote foreign text (a node pack's exception): line breaks become spaces so that the
    /// executable's stderr stays one line.</summary>
    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
