namespace Jarvis.Api.Tests.Infrastructure;

/// <summary>The spec's golden vectors, found by listing the conformance directories so new files are picked up.</summary>
public static class SpecVectors
{
    public static string ValidRoot => Path.Combine(SpecFiles.Root, "conformance", "json_vectors");
    public static string InvalidRoot => Path.Combine(SpecFiles.Root, "conformance", "json_vectors_invalid");

    /// <summary>Vector files under <c>{root}/{area}</c> whose name ends with <paramref name="suffix"/>, relative to root, sorted.</summary>
    public static IReadOnlyList<string> List(string root, string area, string suffix = ".json")
    {
        var dir = Path.Combine(root, area);
        if (!Directory.Exists(dir)) return [];
        return Directory.EnumerateFiles(dir, "*.json", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(suffix, StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The schema a vector is for: the same path under schemas/, <c>x.json</c> → <c>x.schema.json</c>.</summary>
    public static string SchemaFor(string relativeVector) => relativeVector[..^".json".Length] + ".schema.json";

    public static TheoryData<string> Data(IEnumerable<string> files)
    {
        var data = new TheoryData<string>();
        foreach (var file in files) data.Add(file);
        return data;
    }
}
