using System.Text.Json.Nodes;

namespace Jarvis.Api.Tests.Differential;

/// <summary>A request to send: which template, which edits, and the body exactly as sent.</summary>
internal sealed record GeneratedRequest(int Index, string Template, IReadOnlyList<Mutation> Mutations, string Json)
{
    public string Describe() => $"#{Index} from '{Template}': " +
        (Mutations.Count == 0 ? "unmutated" : string.Join("; ", Mutations.Select(m => m.Description)));
}

/// <summary>Mutates the valid <see cref="RequestTemplates"/>: every single mutation of every template
/// (systematically), then seeded random combinations of 2–3 non-overlapping ones until the count is reached.
/// Each request gets its own node_run_id, since the service answers 409 to a reused id with other inputs.</summary>
internal sealed class RequestGenerator(int seed, Func<string, bool> oracleAccepts)
{
    private readonly Random _random = new(seed);
    private readonly List<GeneratedRequest> _requests = [];

    /// <summary>Fields with their own value lists, by path; applied where the parent object exists.</summary>
    private static readonly (string[] Path, string[] Literals)[] FieldValues =
    [
        (["constraints", "structural", "max_depth"], MutationValues.Integers),
        (["constraints", "structural", "max_children_per_composite"], MutationValues.Integers),
        (["constraints", "structural", "max_total_nodes_per_run"], MutationValues.Integers),
        (["constraints", "structural", "max_decomposition_rounds_per_node"], MutationValues.Integers),
        (["constraints", "candidates", "max_candidates_per_subtask"], MutationValues.Integers),
        (["constraints", "budgets", "max_wall_time_ms"], MutationValues.Integers),
        (["constraints", "budgets", "max_steps"], MutationValues.Integers),
        (["constraints", "budgets", "max_external_calls"], MutationValues.Integers),
        (["constraints", "budgets", "max_cost"], MutationValues.Numbers),
        (["constraints", "gates", "side_effect_class"], MutationValues.SideEffectClasses),
        (["constraints", "gates", "require_approval"], MutationValues.Booleans),
        (["constraints", "candidates", "allowed_node_type_ids"], MutationValues.StringArrays),
        (["constraints", "candidates", "denied_node_type_ids"], MutationValues.StringArrays),
        (["run_context", "actor", "uri"], MutationValues.Uris),
        (["inputs"], MutationValues.FreeObjects),
        (["run_context", "identity"], MutationValues.FreeObjects),
        (["run_context", "policy"], MutationValues.FreeObjects),
        (["run_context", "budgets"], MutationValues.FreeObjects),
    ];

    private static readonly string[] RootReplacements = ["null", "[]", "\"s\"", "1", "true", "{}", "[{\"node_run_id\":\"x\"}]"];

    public IReadOnlyList<GeneratedRequest> Generate(int total)
    {
        var catalogs = RequestTemplates.All.Select(t => (t.Name, t.Request, Catalog: Catalog(t.Request))).ToList();
        var acceptedAlone = new Dictionary<string, List<Mutation>>();
        foreach (var (name, template, catalog) in catalogs)
        {
            Add(name, template, []);
            acceptedAlone[name] = [];
            foreach (var mutation in catalog)
                if (oracleAccepts(Add(name, template, [mutation]).Json)) acceptedAlone[name].Add(mutation);
        }
        foreach (var root in RootReplacements)
            Add("rich", catalogs[0].Request, [Mutation.Set([], root, "replace body")]);

        while (_requests.Count < total)
        {
            var (name, template, catalog) = catalogs[_random.Next(catalogs.Count)];
            var wanted = _random.Next(2, 4);
            var chosen = new List<Mutation>();
            for (var attempt = 0; chosen.Count < wanted && attempt < 50; attempt++)
            {
                // Half the picks come from mutations that are valid alone, so combinations are not all rejections.
                var pool = _random.Next(2) == 0 && acceptedAlone[name].Count > 0 ? acceptedAlone[name] : catalog;
                var candidate = pool[_random.Next(pool.Count)];
                if (!chosen.Any(candidate.Overlaps)) chosen.Add(candidate);
            }
            Add(name, template, chosen);
        }
        return _requests;
    }

    private GeneratedRequest Add(string name, JsonObject template, IReadOnlyList<Mutation> mutations)
    {
        var index = _requests.Count;
        JsonNode? root = template.DeepClone();
        root["node_run_id"] = $"diff-{seed}-{index}";
        foreach (var mutation in mutations) root = mutation.Apply(root);
        var request = new GeneratedRequest(index, name, mutations, root?.ToJsonString() ?? "null");
        _requests.Add(request);
        return request;
    }

    private static List<Mutation> Catalog(JsonObject template)
    {
        var catalog = new List<Mutation>();
        foreach (var (path, node) in Walk(template, []))
        {
            if (path.Count > 0)
            {
                catalog.Add(Mutation.Drop(path));
                // A string node_run_id would be shared by many requests: the service would answer 409.
                var isRunId = path is ["node_run_id"];
                catalog.AddRange(MutationValues.AnyType.Where(l => !(isRunId && l.StartsWith('"')))
                    .Select(l => Mutation.Set(path, l, "retype")));
            }
            if (node is not JsonObject) continue;
            catalog.Add(Mutation.Set([.. path, "unexpected_field"], "1", "add unknown"));
            catalog.Add(Mutation.Set([.. path, "com.example.unknown"], "\"v\"", "add namespaced"));
            if (path is [.., "extensions"])
                catalog.AddRange(MutationValues.ExtensionKeys.Select(k => Mutation.Set([.. path, k], "1", "add extension key")));
        }
        foreach (var (path, literals) in FieldValues)
            if (Find(template, path[..^1]) is JsonObject)
                catalog.AddRange(literals.Select(l => Mutation.Set(path, l, "value")));
        return catalog;
    }

    private static IEnumerable<(IReadOnlyList<object> Path, JsonNode? Node)> Walk(JsonNode? node, IReadOnlyList<object> path)
    {
        yield return (path, node);
        var children = node switch
        {
            JsonObject o => o.Select(p => ((object)p.Key, p.Value)).ToList(),
            JsonArray a => a.Select((v, i) => ((object)i, v)).ToList(),
            _ => [],
        };
        foreach (var (segment, child) in children)
        foreach (var found in Walk(child, [.. path, segment]))
            yield return found;
    }

    private static JsonNode? Find(JsonNode? node, IEnumerable<string> path) =>
        path.Aggregate(node, (n, name) => n is JsonObject o ? o[name] : null);
}
