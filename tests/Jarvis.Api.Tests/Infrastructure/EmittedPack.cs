using System.Reflection;
using System.Reflection.Emit;
using System.Text.Json.Nodes;
using Jarvis.NodePacks.Sdk;

namespace Jarvis.Api.Tests.Infrastructure;

/// <summary>Writes a one-type pack assembly into a directory at test time, for pack shapes that cannot share an
/// assembly with anything else (the loader takes every pack in a .dll, so one broken pack spoils its file): a
/// constructor that throws, no parameterless constructor, another pack's node ids. The emitted type only passes
/// constants to <see cref="EmittedPackBase"/>, which lives here, in the test assembly the host shares with the pack.</summary>
public static class EmittedPack
{
    /// <returns>The path of the written .dll.</returns>
    public static string Write(string directory, string packId, IReadOnlyList<string> nodeTypeIds,
        string? constructorError = null, bool parameterlessConstructor = true)
    {
        var name = $"Jarvis.Tests.EmittedPack.{Guid.NewGuid():N}";
        var assembly = new PersistedAssemblyBuilder(new AssemblyName(name), typeof(object).Assembly);
        var type = assembly.DefineDynamicModule(name)
            .DefineType($"{name}.Pack", TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Class, typeof(EmittedPackBase));
        var baseConstructor = typeof(EmittedPackBase).GetConstructor(BindingFlags.NonPublic | BindingFlags.Instance,
            [typeof(string), typeof(string), typeof(string)])!;
        var constructor = type.DefineConstructor(MethodAttributes.Public, CallingConventions.Standard,
            parameterlessConstructor ? Type.EmptyTypes : [typeof(string)]);
        var il = constructor.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldstr, packId);
        il.Emit(OpCodes.Ldstr, string.Join(',', nodeTypeIds));
        if (constructorError is null) il.Emit(OpCodes.Ldnull);
        else il.Emit(OpCodes.Ldstr, constructorError);
        il.Emit(OpCodes.Call, baseConstructor);
        il.Emit(OpCodes.Ret);
        type.CreateType();
        var path = Path.Combine(directory, name + ".dll");
        assembly.Save(path);
        return path;
    }

    /// <summary>The full name of the pack type in the assembly at <paramref name="path"/>.</summary>
    public static string TypeName(string path) => $"{Path.GetFileNameWithoutExtension(path)}.Pack";
}

/// <summary>What an <see cref="EmittedPack"/> is: each node answers <c>{"pack": id, "node": node_type_id}</c>.
/// Abstract, so a copy of this test assembly in a pack directory would not offer it as a pack.</summary>
public abstract class EmittedPackBase : INodePack
{
    public const string PackVersion = "2.0.0";

    protected EmittedPackBase(string id, string nodeTypeIds, string? constructorError)
    {
        if (constructorError is not null) throw new InvalidOperationException(constructorError);
        Id = id;
        Nodes = nodeTypeIds.Split(',').Select(nodeTypeId => new NodeDefinition
        {
            NodeTypeId = nodeTypeId,
            Version = PackVersion,
            Description = $"Says it is {nodeTypeId} of pack {id}.",
            InputSchema = new JsonObject { ["type"] = "object" },
            OutputSchema = new JsonObject { ["type"] = "object" },
            Handler = (_, _, _) => ValueTask.FromResult(new JsonObject { ["pack"] = id, ["node"] = nodeTypeId }),
        }).ToList();
    }

    public string Id { get; }
    public string Version => PackVersion;
    public IReadOnlyList<NodeDefinition> Nodes { get; }
}
