using System.Reflection;
using System.Reflection.PortableExecutable;
using System.Runtime.Loader;
using Jarvis.NodePacks.Sdk;

namespace Jarvis.NodePacks.Loading;

/// <summary>Loads the node packs found in directories: every assembly there that defines a public
/// <see cref="INodePack"/> with a parameterless constructor, each assembly in its own load context so packs
/// can carry their own dependencies. The SDK and Akka are shared with the host.</summary>
public static class NodePackLoader
{
    public static IReadOnlyList<INodePack> LoadFrom(IEnumerable<string> directories)
    {
        var packs = new List<INodePack>();
        foreach (var directory in directories)
        foreach (var path in Directory.EnumerateFiles(directory, "*.dll").Order(StringComparer.Ordinal))
            packs.AddRange(LoadAssembly(Path.GetFullPath(path)));
        return packs;
    }

    private static IEnumerable<INodePack> LoadAssembly(string path)
    {
        if (!IsManagedAssembly(path)) yield break; // a native Windows library beside a pack
        Type[] types;
        try
        {
            types = new PackLoadContext(path).LoadFromAssemblyPath(path).GetExportedTypes();
        }
        catch (Exception e) when (e is BadImageFormatException or ReflectionTypeLoadException or FileNotFoundException
                                      or FileLoadException or TypeLoadException)
        {
            throw new InvalidOperationException($"node pack assembly '{path}' cannot be loaded: {e.Message}");
        }
        foreach (var type in types.Where(t => typeof(INodePack).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false }))
        {
            if (type.GetConstructor(Type.EmptyTypes) is null)
                throw new InvalidOperationException($"node pack '{type.FullName}' in '{path}' has no public parameterless constructor");
            yield return Create(type, path);
        }
    }

    /// <summary>A pack constructor that throws names the pack and its file, not only its own message.</summary>
    private static INodePack Create(Type type, string path)
    {
        try
        {
            return (INodePack)Activator.CreateInstance(type)!;
        }
        catch (TargetInvocationException e) when (e.InnerException is { } cause)
        {
            throw new InvalidOperationException($"node pack '{type.FullName}' in '{path}' failed in its constructor: {cause.Message}", cause);
        }
    }

    /// <summary>A PE file without .NET metadata is a native library and is skipped; anything else named .dll
    /// must load, so a truncated or corrupt pack stops start-up instead of silently missing its nodes.</summary>
    private static bool IsManagedAssembly(string path)
    {
        try
        {
            using var pe = new PEReader(File.OpenRead(path));
            return pe.HasMetadata;
        }
        catch (BadImageFormatException e)
        {
            throw new InvalidOperationException($"'{path}' is not a .NET assembly nor a native library: {e.Message}");
        }
    }

    private sealed class PackLoadContext(string mainAssemblyPath) : AssemblyLoadContext(Path.GetFileNameWithoutExtension(mainAssemblyPath))
    {
        private readonly AssemblyDependencyResolver _resolver = new(mainAssemblyPath);

        protected override Assembly? Load(AssemblyName name)
        {
            // Types the host and the pack exchange must come from one assembly, the host's: whatever the host can
            // load (loaded yet or not) is shared; only what it lacks comes from the pack's own folder.
            try { return Default.LoadFromAssemblyName(name); }
            catch (FileNotFoundException) { }
            return _resolver.ResolveAssemblyToPath(name) is { } path ? LoadFromAssemblyPath(path) : null;
        }
    }
}
