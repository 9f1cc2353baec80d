namespace Jarvis.Api.Tests.Infrastructure;

/// <summary>
/// The ARP spec (a <c>spec/v1</c> folder): <c>ARP_SPEC_DIR</c> when set, else <c>../shared/arp-spec/v1</c> beside the
/// checkout (as CI lays it). Missing outside CI, a test that reads it is reported as skipped with how to get it
/// (<see cref="SpecAwareTestFramework"/>); missing under <c>CI=true</c>, or an <c>ARP_SPEC_DIR</c> that is not a spec
/// folder, it fails.
/// </summary>
public static class SpecFiles
{
    public const string DirectoryVariable = "ARP_SPEC_DIR";

    public const string HowToGetIt =
        "clone the ARP Standard at the release this executor follows (git clone --branch v0.3.7 https://github.com/AgentRuntimeProtocol/ARP_Standard) and set " +
        "ARP_SPEC_DIR=<clone>/spec/v1, or lay it at ../shared/arp-spec/v1 beside this checkout";

    private static readonly Lazy<string?> Found = new(Find);

    public static string Root => Found.Value ?? throw Missing();

    public static string Schema(string relative) => Path.Combine(Root, "schemas", relative);

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } named)
        {
            if (!IsSpecFolder(named))
                throw new InvalidOperationException($"{DirectoryVariable}={named} is not an ARP spec/v1 folder (no schemas/ and conformance/ in it)");
            return Path.GetFullPath(named);
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "arp-spec", "v1");
            if (IsSpecFolder(candidate)) return candidate;
        }
        return null;
    }

    private static bool IsSpecFolder(string path) =>
        Directory.Exists(Path.Combine(path, "schemas")) && Directory.Exists(Path.Combine(path, "conformance"));

    private static Exception Missing()
    {
        var message = $"this test needs the ARP spec, which was not found: {HowToGetIt}";
        return string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
            ? new InvalidOperationException(message + " (CI=true: a missing spec fails the run)")
            : new SpecNotFoundException(message);
    }
}

/// <summary>The ARP spec is not on this machine (outside CI): the test that needed it is reported as skipped.</summary>
public sealed class SpecNotFoundException(string message) : Exception(message);
