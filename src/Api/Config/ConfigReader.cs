using System.Globalization;

namespace Jarvis.Api.Config;

/// <summary>Reads typed settings from IConfiguration; a value that is set but unusable is a <see cref="StartupException"/>.</summary>
internal sealed class ConfigReader(IConfiguration configuration)
{
    public string? Text(string key)
    {
        var value = configuration[key];
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    /// <summary>The value exactly as set (not trimmed; empty when set empty), e.g. a password; null when not set.</summary>
    public string? Raw(string key) => configuration[key];

    public int? Int(string key, int min, int max) => (int?)Long(key, min, max);

    public long? Long(string key, long min, long max)
    {
        if (Text(key) is not { } text) return null;
        if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw new StartupException($"{key}={text} is not valid: expected an integer from {min} to {max}");
        return value;
    }

    public TimeSpan? Seconds(string key, double min, double max)
    {
        if (Text(key) is not { } text) return null;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ||
            !double.IsFinite(value) || value < min || value > max)
            throw new StartupException($"{key}={text} is not valid: expected a number of seconds from {min} to {max}");
        return TimeSpan.FromSeconds(value);
    }

    public T? OneOf<T>(string key, IReadOnlyDictionary<string, T> choices) where T : struct
    {
        if (Text(key) is not { } text) return null;
        if (choices.TryGetValue(text.ToLowerInvariant(), out var value)) return value;
        throw new StartupException($"{key}={text} is not valid: expected one of {string.Join(", ", choices.Keys)}");
    }
}
