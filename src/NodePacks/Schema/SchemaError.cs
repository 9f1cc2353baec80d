namespace Jarvis.NodePacks.Schema;

/// <summary>One violation: the JSON path of the offending value (<c>$.a.b[0]</c>) and why.</summary>
public sealed record SchemaError(string Path, string Message);
