using System.Text.Json.Nodes;

namespace Jarvis.Api.Tests.Differential;

/// <summary>One edit of a request at <see cref="Path"/> (property names and array indexes from the root).
/// New values are JSON literals, parsed when applied, so that a literal such as <c>1.0</c> reaches the wire as written.</summary>
internal sealed record Mutation(string Description, IReadOnlyList<object> Path, Func<JsonNode?, JsonNode?> Apply)
{
    public static Mutation Drop(IReadOnlyList<object> path) =>
        new($"drop {Show(path)}", path, root =>
        {
            switch (Parent(root, path), path[^1])
            {
                case (JsonObject o, string name): o.Remove(name); break;
                case (JsonArray a, int index): a.RemoveAt(index); break;
                default: throw new InvalidOperationException($"cannot drop {Show(path)}");
            }
            return root;
        });

    /// <summary>Sets (adds or replaces) the value at <paramref name="path"/>; the empty path replaces the whole body.</summary>
    public static Mutation Set(IReadOnlyList<object> path, string literal, string what = "set") =>
        new($"{what} {Show(path)} = {literal}", path, root =>
        {
            var value = JsonNode.Parse(literal);
            if (path.Count == 0) return value;
            switch (Parent(root, path), path[^1])
            {
                case (JsonObject o, string name): o[name] = value; break;
                case (JsonArray a, int index): a[index] = value; break;
                default: throw new InvalidOperationException($"cannot set {Show(path)}");
            }
            return root;
        });

    /// <summary>Two edits interfere when one's path contains the other's.</summary>
    public bool Overlaps(Mutation other)
    {
        var n = Math.Min(Path.Count, other.Path.Count);
        for (var i = 0; i < n; i++)
            if (!Path[i].Equals(other.Path[i])) return false;
        return true;
    }

    public static string Show(IReadOnlyList<object> path) =>
        "$" + string.Concat(path.Select(p => p is int i ? $"[{i}]" : IsPlain((string)p) ? $".{p}" : $"[{System.Text.Json.JsonSerializer.Serialize(p)}]"));

    private static bool IsPlain(string name) => name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static JsonNode? Parent(JsonNode? root, IReadOnlyList<object> path)
    {
        var node = root;
        foreach (var segment in path.Take(path.Count - 1))
            node = segment is int i ? node?.AsArray()[i] : node?.AsObject()[(string)segment];
        return node;
    }
}
