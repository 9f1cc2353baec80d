using System.Globalization;

namespace Jarvis.Api.Contract;

/// <summary>Timestamps as the reference writes them: RFC 3339 in UTC with microseconds.</summary>
public static class WireTimestamp
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    public static string Of(DateTimeOffset at) => at.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);
}
