namespace Jarvis.Api.Tests.Infrastructure;

/// <summary>A temporary directory to list in JARVIS_NODEPACKS_PATH, deleted on dispose. The sample pack's build
/// output is copied beside the tests (sample-pack/) by the test project; <see cref="WithSamplePack"/> copies it here.</summary>
public sealed class PackDirectory : IDisposable
{
    public const string SampleAssemblyFile = "Jarvis.Samples.TextPack.dll";

    private PackDirectory(DirectoryInfo directory) => Path = directory.FullName;

    public string Path { get; }

    /// <summary>The copy of the sample pack's assembly in this directory (after <see cref="WithSamplePack"/>).</summary>
    public string SampleAssembly => System.IO.Path.Combine(Path, SampleAssemblyFile);

    public static string SampleBuildOutput { get; } = System.IO.Path.Combine(AppContext.BaseDirectory, "sample-pack");

    public static PackDirectory Empty() => new(Directory.CreateTempSubdirectory("jarvis-packs-"));

    public static PackDirectory WithSamplePack()
    {
        var files = Directory.GetFiles(SampleBuildOutput);
        Assert.Contains(files, f => System.IO.Path.GetFileName(f) == SampleAssemblyFile);
        var directory = Empty();
        foreach (var file in files) File.Copy(file, System.IO.Path.Combine(directory.Path, System.IO.Path.GetFileName(file)));
        return directory;
    }

    /// <summary>Several directories as one JARVIS_NODEPACKS_PATH value.</summary>
    public static string SearchPath(params PackDirectory[] directories) =>
        string.Join(System.IO.Path.PathSeparator, directories.Select(d => d.Path));

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
