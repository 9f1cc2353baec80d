using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Jarvis.Actors.Diagnostics;

/// <summary>
/// Caller-supplied text (ids, paths, token subjects, messages quoting them) made fit for a log line: cut to a fixed
/// length with a visible marker, and with every character that could forge or hide log content written as a
/// <c>\uXXXX</c> escape. Otherwise a 1 MB node_run_id makes a 1 MB line, and an id holding a CR, an ANSI escape or
/// a bidi override can start a forged line, drive the reader's terminal or reorder what they see.
/// </summary>
/// <remarks>
/// The JSON log format gets the same text as the simple one: the JSON writer would escape raw control characters
/// itself, but then the two formats would disagree about what an id looked like, and truncation is needed in both.
/// A backslash is left as it is, so an id that literally holds <c>\u001B</c> looks like one holding ESC: a log line
/// is for reading, and a cut id cannot be matched exactly anyway.
/// </remarks>
public static class LogText
{
    /// <summary>Room for any id a client mints (a UUID is 36, composite ids such as <c>run/…/node/…/attempt/…</c>
    /// rarely pass 100) and for a route holding one, while a run line with every field at this length stays near
    /// 1 KB (2 KB in JSON, which repeats them), within the console writer's 4 KiB pipe write.</summary>
    public const int MaxIdLength = 128;

    /// <summary>For error messages that may quote caller values (a token's kid, a property name in a schema error):
    /// their text is worth more room than an id's, but it is still bounded.</summary>
    public const int MaxMessageLength = 1024;

    private const int EscapeLength = 6; // \uXXXX

    /// <summary>Rather than IndexOfAnyExceptInRange(' ', '~'): that generic method boxes its bounds until the JIT
    /// optimises it, which measured 96 bytes a call in tests and early in a process's life.</summary>
    private static readonly SearchValues<char> PrintableAscii =
        SearchValues.Create(string.Concat(Enumerable.Range(' ', '~' - ' ' + 1).Select(c => (char)c)));

    /// <summary>An id, path or name: at most <see cref="MaxIdLength"/> characters before the marker.</summary>
    [return: NotNullIfNotNull(nameof(value))]
    public static string? Id(string? value) => Of(value, MaxIdLength);

    /// <summary>A message: at most <see cref="MaxMessageLength"/> characters before the marker.</summary>
    [return: NotNullIfNotNull(nameof(value))]
    public static string? Message(string? value) => Of(value, MaxMessageLength);

    /// <summary>
    /// <paramref name="value"/> itself when it fits and holds nothing to escape (no allocation: this runs for every
    /// field of every run line); otherwise a copy whose visible part, escapes included, is at most
    /// <paramref name="maxLength"/> characters, followed by <c>...(N more chars)</c> when some were cut.
    /// </summary>
    [return: NotNullIfNotNull(nameof(value))]
    public static string? Of(string? value, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, EscapeLength);
        if (value is null) return null;
        if (value.Length <= maxLength)
        {
            // Vectorised: the usual id is printable ASCII throughout.
            var other = value.AsSpan().IndexOfAnyExcept(PrintableAscii);
            if (other < 0 || !NeedsEscapeFrom(value, other)) return value;
        }
        return Rewrite(value, maxLength);
    }

    private static bool NeedsEscapeFrom(string value, int start)
    {
        for (var i = start; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) i++;
            else if (NeedsEscape(c)) return true;
        }
        return false;
    }

    /// <summary>Characters that change how a terminal or a line-oriented reader takes the line, or hide its content:
    /// C0 controls (CR, LF, ESC…), DEL, C1 controls (NEL, CSI…), the Unicode line and paragraph separators, the bidi
    /// marks, embeddings, overrides and isolates, and a surrogate without its pair (the UTF-8 encoder would silently
    /// replace it, and the JSON writer refuses it).</summary>
    private static bool NeedsEscape(char c) => c switch
    {
        < ' ' or >= '\u007F' and <= '\u009F' => true,
        '\u061C' or '\u200E' or '\u200F' or '\u2028' or '\u2029' => true,
        >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' => true,
        _ => char.IsSurrogate(c),
    };

    private static string Rewrite(string value, int maxLength)
    {
        var text = new StringBuilder(maxLength + 24);
        var i = 0;
        while (i < value.Length)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                // A pair is kept whole or cut whole: half of one is a lone surrogate.
                if (text.Length + 2 > maxLength) break;
                text.Append(c).Append(value[i + 1]);
                i += 2;
            }
            else if (NeedsEscape(c))
            {
                if (text.Length + EscapeLength > maxLength) break;
                text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
                i++;
            }
            else
            {
                if (text.Length + 1 > maxLength) break;
                text.Append(c);
                i++;
            }
        }
        // ASCII only, without '+' or '…': the JSON formatter's encoder would write those as \u002B and \u2026.
        if (i < value.Length) text.Append(CultureInfo.InvariantCulture, $"...({value.Length - i} more chars)");
        return text.ToString();
    }
}
