using System.Text.Json.Nodes;
using Jarvis.NodePacks.Schema;

namespace Jarvis.NodePacks.Tests.Schema;

/// <summary>Runs one instance (JSON text) against one schema (JSON text) both ways the validator offers, which must agree.</summary>
internal static class Check
{
    public static List<SchemaError> Errors(string schema, string instance)
    {
        var validator = JsonSchemaValidator.Compile(schema);
        var node = JsonNode.Parse(instance);
        var errors = new List<SchemaError>();
        var valid = validator.Validate(node, errors);
        Assert.Equal(valid, errors.Count == 0);
        Assert.Equal(valid, validator.IsValid(node));
        return errors;
    }

    public static void Accepts(string schema, string instance) =>
        Assert.True(Errors(schema, instance) is [], $"{schema} should accept {instance}");

    public static void Rejects(string schema, string instance) =>
        Assert.False(Errors(schema, instance) is [], $"{schema} should reject {instance}");

    /// <summary>Rejects, with an error at exactly <paramref name="path"/>.</summary>
    public static void RejectsAt(string schema, string instance, string path)
    {
        var errors = Errors(schema, instance);
        Assert.True(errors.Any(e => e.Path == path),
            $"{schema} on {instance}: expected an error at {path}, got [{string.Join("; ", errors.Select(e => $"{e.Path} {e.Message}"))}]");
    }
}
