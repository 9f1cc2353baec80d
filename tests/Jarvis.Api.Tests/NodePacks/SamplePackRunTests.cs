using System.Text.Json.Nodes;
using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Api.Tests.NodePacks;

/// <summary>The sample pack, loaded from a directory in JARVIS_NODEPACKS_PATH, runs over HTTP like any installed node:
/// a plain handler node and an actor-native one, with their input schemas enforced by the executor.</summary>
public sealed class SamplePackRunTests(SamplePackServer fixture) : IClassFixture<SamplePackServer>
{
    private HttpClient Client => fixture.Server.Client;

    [Theory]
    [InlineData("abc", "cba")]
    [InlineData("e\u0301te\u0301", "e\u0301te\u0301")]                 // é as e + combining acute stays whole
    [InlineData("cafe\u0301!", "!e\u0301fac")]
    [InlineData("a\U0001F44D\U0001F3FDb", "b\U0001F44D\U0001F3FDa")]     // thumbs up + skin tone modifier
    [InlineData("\U0001F468\u200D\U0001F469\u200D\U0001F467 x", "x \U0001F468\u200D\U0001F469\u200D\U0001F467")] // ZWJ family
    [InlineData("\U0001F1EB\U0001F1F7\U0001F1E9\U0001F1EA", "\U0001F1E9\U0001F1EA\U0001F1EB\U0001F1F7")] // flags FR DE
    [InlineData("", "")]
    public async Task Reverse_reverses_by_grapheme(string text, string reversed)
    {
        var result = await HttpAssert.ResultAsync(await Client.ExecuteAsync(SampleNodes.ReverseRequest(text)), "succeeded");

        Assert.Equal(reversed, result["outputs"]!["reversed"]!.GetValue<string>());
    }

    [Fact]
    public async Task Count_words_counts_each_text_and_the_total()
    {
        var response = await Client.ExecuteAsync(
            SampleNodes.CountWordsRequest("the quick brown fox", "", "  spaced\tout\nover lines  ", "one", "\u00e9t\u00e9 \U0001F44D"));

        var outputs = (await HttpAssert.ResultAsync(response, "succeeded"))["outputs"]!;

        var counts = outputs["counts"]!.AsArray().Select(c => c!.GetValue<int>()).ToArray();
        Assert.Equal([4, 0, 4, 1, 2], counts);
        Assert.Equal(counts.Sum(), outputs["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task Count_words_of_no_texts_is_empty_with_a_zero_total()
    {
        var outputs = (await HttpAssert.ResultAsync(await Client.ExecuteAsync(SampleNodes.CountWordsRequest()), "succeeded"))["outputs"]!;

        Assert.Empty(outputs["counts"]!.AsArray());
        Assert.Equal(0, outputs["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task Runs_of_the_actor_native_node_do_not_share_state()
    {
        // One actor per run: a second run must not see the first run's counts.
        var first = await HttpAssert.ResultAsync(await Client.ExecuteAsync(SampleNodes.CountWordsRequest("a b c")), "succeeded");
        var second = await HttpAssert.ResultAsync(await Client.ExecuteAsync(SampleNodes.CountWordsRequest("d")), "succeeded");

        Assert.Equal(3, first["outputs"]!["total"]!.GetValue<int>());
        Assert.Equal([1], second["outputs"]!["counts"]!.AsArray().Select(c => c!.GetValue<int>()));
    }

    public static TheoryData<string, string, string> InvalidInputs => new()
    {
        // node, inputs, a path details.errors[] must name
        { SampleNodes.Reverse, """{"text": 5}""", "$.inputs.text" },
        { SampleNodes.Reverse, """{}""", "$.inputs.text" },
        { SampleNodes.Reverse, """{"text": "ok", "extra": true}""", "$.inputs.extra" },
        { SampleNodes.CountWords, """{"texts": ["fine", 3, "fine"]}""", "$.inputs.texts[1]" },
        { SampleNodes.CountWords, """{"texts": "not a list"}""", "$.inputs.texts" },
        { SampleNodes.CountWords, """{"text": ["wrong name"]}""", "$.inputs.texts" },
    };

    [Theory]
    [MemberData(nameof(InvalidInputs))]
    public async Task Inputs_breaking_the_sample_nodes_schema_are_invalid_inputs_with_their_paths(string node, string inputs, string path)
    {
        var request = SampleNodes.Request(node, JsonNode.Parse(inputs)!.AsObject());

        var error = await HttpAssert.FailedAsync(await Client.ExecuteAsync(request), "invalid_inputs");

        Assert.Contains(path, HttpAssert.SchemaErrors(error).Select(e => e.Path));
    }

    [Fact]
    public async Task More_texts_than_the_schema_allows_are_invalid_inputs_without_running()
    {
        var limit = SampleNodes.Definition(SampleNodes.CountWords).InputSchema["properties"]!["texts"]!["maxItems"]!.GetValue<int>();

        var error = await HttpAssert.FailedAsync(
            await Client.ExecuteAsync(SampleNodes.CountWordsRequest(Enumerable.Repeat("w", limit + 1).ToArray())), "invalid_inputs");

        Assert.Contains("$.inputs.texts", HttpAssert.SchemaErrors(error).Select(e => e.Path));
    }
}
