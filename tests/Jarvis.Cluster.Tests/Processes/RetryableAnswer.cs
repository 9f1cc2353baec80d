using System.Net;
using System.Text.Json.Nodes;
using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Cluster.Tests.Processes;

/// <summary>Reads the answer to an execute sent while a cluster changes (a member died or is leaving).</summary>
internal static class RetryableAnswer
{
    /// <summary>The result when <paramref name="response"/> is a schema-valid succeeded result; null when it is a
    /// refusal a caller may retry: one of <paramref name="retryableCodes"/>, marked <c>retryable</c>, as a 200 failed
    /// result or as a 503 ErrorEnvelope with Retry-After. Anything else fails the test with the answer.</summary>
    public static async Task<JsonNode?> SucceededOrRetryableAsync(HttpResponseMessage response, params string[] retryableCodes)
    {
        var body = await response.Content.ReadAsStringAsync(); // buffered: the assertions below read it again
        if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
        {
            await HttpAssert.JsonAsync(response, HttpStatusCode.ServiceUnavailable);
            await SpecSchemas.AssertValidAsync(SpecSchemas.ErrorEnvelope, body);
            var error = JsonNode.Parse(body)!["error"]!;
            Assert.True(retryableCodes.Contains(error["code"]!.GetValue<string>()),
                $"503 with a code other than {string.Join(" / ", retryableCodes)}: {body}");
            Assert.True(error["retryable"]?.GetValue<bool>() == true, $"503 not marked retryable: {body}");
            HttpAssert.RetryAfter(response);
            return null;
        }

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200 or 503, got {(int)response.StatusCode}: {body}");
        var state = JsonNode.Parse(body)?["state"]?.GetValue<string>() ?? "(none)";
        var result = await HttpAssert.ResultAsync(response, state);
        if (state == "succeeded") return result;
        var code = result["error"]?["code"]?.GetValue<string>();
        Assert.True(state == "failed" && code is not null && retryableCodes.Contains(code),
            $"neither succeeded nor failed with {string.Join(" / ", retryableCodes)}: {body}");
        Assert.True(result["error"]!["retryable"]?.GetValue<bool>() == true, $"failed result not marked retryable: {body}");
        return null;
    }
}
