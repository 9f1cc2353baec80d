using System.Net;
using System.Text;
using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Api.Tests.Http;

/// <summary>Execute takes UTF-8 JSON only: anything else is 415 unsupported_media_type.</summary>
public sealed class MediaTypeTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("application/json; charset=latin1")]
    [InlineData("application/json; charset=iso-8859-1")]
    [InlineData("application/json; charset=utf-16")]
    [InlineData("not a media type")]
    [InlineData("application/json; charset=\"latin1\"")]
    [InlineData("application/json; charset=\"utf-16\"")]
    [InlineData("application/json; charset=\"\"")]
    [InlineData("application/json; charset=\"utf-8")]
    [InlineData("application/json; charset=utf-8\"")]
    [InlineData("application/json; charset=\"utf-8\"x")]
    public async Task Non_json_or_non_utf8_content_type_is_415(string? contentType)
    {
        await using var server = await ExecutorServer.StartAsync();
        var body = Encoding.UTF8.GetBytes(ExecuteRequests.Echo("hi"));

        var response = await server.Client.PostBytesAsync(ExecuteRequests.ExecutePath, body, contentType);

        await HttpAssert.ErrorAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON;charset=UTF-8")]
    [InlineData("application/json; charset=\"utf-8\"")]
    [InlineData("application/json; charset=\"UTF-8\"")]
    [InlineData("application/json; CharSet=\"Utf-8\"")]
    [InlineData("application/json;charset=\"utf8\"")]
    [InlineData("application/json; charset=\"utf\\-8\"")]
    [InlineData("application/problem+json; charset=\"utf-8\"")]
    public async Task Json_with_utf8_or_no_charset_is_accepted(string contentType)
    {
        await using var server = await ExecutorServer.StartAsync();
        var body = Encoding.UTF8.GetBytes(ExecuteRequests.Echo("hi"));

        var response = await server.Client.PostBytesAsync(ExecuteRequests.ExecutePath, body, contentType);

        await HttpAssert.ResultAsync(response, "succeeded");
    }
}
