namespace Jarvis.Api.Tests.Infrastructure;

/// <summary>The ARP spec beside the checkout (../shared/arp-spec/v1). Missing under CI=true is a failure, not a skip.</summary>
public static class SpecFiles
{
    public static string Root { get; } = Find();

    public static string Schema(string relative) => Path.Combine(Root, "schemas", relative);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "arp-spec", "v1");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new InvalidOperationException(
            "the ARP spec was not found: expected ../shared/arp-spec/v1 beside the checkout (the conformance tests cannot run without it)");
    }
}
