using System.Net;
using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Api.Tests.Http;

/// <summary>A node_run_id has no length limit in the schema, so any id an execute body can carry must also fit
/// in the cancel route's request line (Kestrel's own 414 would be an empty body, which cannot be customised).</summary>
public sealed class ServerLimitRejectionTests
{
    [Fact]
    public async Task A_run_with_a_very_long_id_can_be_canceled_before_it_executes()
    {
        await using var server = await ExecutorServer.StartAsync();
        var id = new string('x', 20_000);

        var cancel = await server.Client.CancelAsync(id);
        Assert.Equal(HttpStatusCode.NoContent, cancel.StatusCode);

        await HttpAssert.ResultAsync(await server.Client.ExecuteAsync(ExecuteRequests.Echo("long id", id)), "canceled");
    }

    [Fact]
    public async Task The_longest_id_an_execute_body_can_hold_fits_the_cancel_request_line_even_percent_encoded()
    {
        await using var server = await ExecutorServer.StartAsync(("JARVIS_MAX_BODY_BYTES", "4096"));
        var id = new string('é', 2_000); // 4 000 UTF-8 bytes, 12 000 characters once percent-encoded

        var cancel = await server.Client.CancelAsync(id);

        Assert.Equal(HttpStatusCode.NoContent, cancel.StatusCode);
    }
}
