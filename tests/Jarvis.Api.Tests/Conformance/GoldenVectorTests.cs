using System.Net;
using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Api.Tests.Conformance;

/// <summary>The spec's atomic_executor golden vectors: valid requests are executed, invalid ones refused with
/// invalid_request, and every vector gets the verdict of its own schema file (a check on the schema loading).</summary>
public sealed class GoldenVectorTests
{
    private const string Area = "atomic_executor";

    public static TheoryData<string> ValidRequests => SpecVectors.Data(SpecVectors.List(SpecVectors.ValidRoot, Area, "_request.json"));
    public static TheoryData<string> InvalidRequests => SpecVectors.Data(SpecVectors.List(SpecVectors.InvalidRoot, Area, "_request.json"));
    public static TheoryData<string> ValidVectors => SpecVectors.Data(SpecVectors.List(SpecVectors.ValidRoot, Area));
    public static TheoryData<string> InvalidVectors => SpecVectors.Data(SpecVectors.List(SpecVectors.InvalidRoot, Area));

    [Fact]
    public void Vector_directories_hold_request_and_result_vectors()
    {
        foreach (var root in new[] { SpecVectors.ValidRoot, SpecVectors.InvalidRoot })
        {
            Assert.NotEmpty(SpecVectors.List(root, Area, "_request.json"));
            Assert.NotEmpty(SpecVectors.List(root, Area, "_result.json"));
        }
    }

    [Theory]
    [MemberData(nameof(ValidRequests))]
    public async Task Valid_request_vector_is_executed_not_refused(string vector)
    {
        await using var server = await ExecutorServer.StartAsync();
        var json = await File.ReadAllTextAsync(Path.Combine(SpecVectors.ValidRoot, vector));

        var response = await server.Client.ExecuteAsync(json);

        var body = await HttpAssert.JsonAsync(response, HttpStatusCode.OK);
        await SpecSchemas.AssertValidAsync(SpecSchemas.ExecuteResult, body);
    }

    [Theory]
    [MemberData(nameof(InvalidRequests))]
    public async Task Invalid_request_vector_is_refused_as_invalid_request(string vector)
    {
        await using var server = await ExecutorServer.StartAsync();
        var json = await File.ReadAllTextAsync(Path.Combine(SpecVectors.InvalidRoot, vector));

        var response = await server.Client.ExecuteAsync(json);

        var error = await HttpAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        HttpAssert.SchemaErrors(error);
    }

    [Theory]
    [MemberData(nameof(ValidVectors))]
    public async Task Valid_vector_matches_its_schema(string vector)
    {
        var json = await File.ReadAllTextAsync(Path.Combine(SpecVectors.ValidRoot, vector));
        var errors = await SpecSchemas.ErrorsAsync(SpecVectors.SchemaFor(vector), json);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Theory]
    [MemberData(nameof(InvalidVectors))]
    public async Task Invalid_vector_fails_its_schema(string vector)
    {
        var json = await File.ReadAllTextAsync(Path.Combine(SpecVectors.InvalidRoot, vector));
        Assert.NotEmpty(await SpecSchemas.ErrorsAsync(SpecVectors.SchemaFor(vector), json));
    }
}
