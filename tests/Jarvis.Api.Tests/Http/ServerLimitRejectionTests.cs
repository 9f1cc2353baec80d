using System.Net;
using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Api.Tests.Http;

/// <summary>A node_run_id has no length limit in the schema; cancel URLs up to <see cref="Program.MaxRequestLineBytes"/>
/// are served, because Kestrel's own 414 would be an empty body that cannot be customised.</summary>
public sealed class ServerLimitRejectionTests
{
    [Fact]
    public async Task A_run_with_a_20_000_character_id_can_be_canceled_before_it_executes()
    {
        await using var server = await ExecutorServer.StartAsync();
        var id = new string('x', 20_000);

        var cancel = await server.Client.CancelAsync(id);
        Assert.Equal(HttpStatusCode.NoContent, cancel.StatusCode);

        await HttpAssert.ResultAsync(await server.Client.ExecuteAsync(ExecuteRequests.Echo("long id", id)), "canceled");
    }

    [Fact]
    public async Task An_id_of_7_000_non_ascii_characters_fits_the_cancel_request_line_percent_encoded()
    {
        await using var server = await ExecutorServer.StartAsync();
        var id = new string('é', 7_000); // 42 000 characters once percent-encoded

        var cancel = await server.Client.CancelAsync(id);

        Assert.Equal(HttpStatusCode.NoContent, cancel.StatusCode);
    }
}
