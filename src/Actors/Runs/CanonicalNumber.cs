using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Jarvis.Actors.Runs;

/// <summary>Writes a JSON number as its exact decimal value: <c>[-]digits e exponent</c>, the digits without leading
/// or trailing zeros, zero as <c>0</c>: <c>1</c>, <c>1.0</c> and <c>10e-1</c> share one form, as do <c>-0</c> and <c>0</c>.</summary>
/// <remarks>
/// Why exact decimal rather than RFC 8785 (JCS), which writes every number as the IEEE double it rounds to: handlers
/// read inputs from the caller's text and may read them as <c>long</c> or <c>decimal</c>, so two numbers that share a
/// double are not the same input. JCS would make <c>12345678901234567890</c> and <c>12345678901234567891</c> (or
/// <c>1e400</c> and <c>1e401</c>, both beyond a double) one request, and the second caller would be handed the first
/// one's result. Exact values never merge distinct inputs; the only cost is that numbers a double cannot tell apart
/// (<c>0.1</c> and <c>0.1000000000000000000001</c>) count as different, which answers 409 rather than a wrong replay.
/// It also needs no number parsing: the digits are rearranged where they lie, without allocating.
/// </remarks>
internal static class CanonicalNumber
{
    private const int StackLimit = 256;

    /// <summary>Room for a sign, the exponent mark, and a <c>long</c> exponent with its sign.</summary>
    private const int Overhead = 24;

    /// <summary>Exponents with up to this many digits are summed as a <c>long</c> without overflow.</summary>
    private const int LongExponentDigits = 18;

    public static void Write(Utf8JsonWriter writer, JsonValue number)
    {
        // Requests parsed from the wire hold their numbers as the caller's text; only values built in process
        // (tests, tools) need writing out first.
        if (number.TryGetValue<JsonElement>(out var element)) Write(writer, JsonMarshal.GetRawUtf8Value(element));
        else Write(writer, TextOf(number).Span);
    }

    private static ReadOnlyMemory<byte> TextOf(JsonValue number)
    {
        var buffer = new ArrayBufferWriter<byte>(32);
        using (var text = new Utf8JsonWriter(buffer)) number.WriteTo(text);
        return buffer.WrittenMemory;
    }

    /// <param name="json">One JSON number, as the grammar allows it.</param>
    private static void Write(Utf8JsonWriter writer, ReadOnlySpan<byte> json)
    {
        // The digits, then an exponent as long as a long's or, when huge, as the original's plus sign and carry.
        var length = 2 * json.Length + Overhead;
        byte[]? rented = null;
        Span<byte> scratch = length <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            writer.WriteRawValue(Canonical(json, scratch), skipInputValidation: true);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static ReadOnlySpan<byte> Canonical(ReadOnlySpan<byte> json, Span<byte> scratch)
    {
        var negative = json[0] == '-';
        var unsigned = negative ? json[1..] : json;
        var mark = unsigned.IndexOfAny((byte)'e', (byte)'E');
        var mantissa = mark < 0 ? unsigned : unsigned[..mark];
        var exponent = mark < 0 ? [] : unsigned[(mark + 1)..];

        // Digits go in from index 1 so that a sign always fits just before the first significant one.
        var digitCount = CopyDigits(mantissa, scratch[1..], out var fractionDigits);
        var digits = scratch.Slice(1, digitCount);
        var first = digits.IndexOfAnyExcept((byte)'0');
        if (first < 0) return "0"u8; // -0 and 0.000e7 alike
        var last = digits.LastIndexOfAnyExcept((byte)'0');

        var start = first + 1;
        if (negative) scratch[--start] = (byte)'-';
        var end = last + 2;
        scratch[end++] = (byte)'e';
        var trailingZeros = digitCount - 1 - last;
        end += WriteExponent(exponent, trailingZeros - (long)fractionDigits, scratch[end..]);
        return scratch[start..end];
    }

    /// <summary>The mantissa's digits without its decimal point: the value is those digits × 10^-fractionDigits.</summary>
    private static int CopyDigits(ReadOnlySpan<byte> mantissa, Span<byte> destination, out int fractionDigits)
    {
        var dot = mantissa.IndexOf((byte)'.');
        if (dot < 0)
        {
            fractionDigits = 0;
            mantissa.CopyTo(destination);
            return mantissa.Length;
        }
        mantissa[..dot].CopyTo(destination);
        mantissa[(dot + 1)..].CopyTo(destination[dot..]);
        fractionDigits = mantissa.Length - dot - 1;
        return mantissa.Length - 1;
    }

    /// <summary>Writes <paramref name="exponent"/> (the number's own, sign and digits, maybe empty) plus
    /// <paramref name="shift"/> as a plain integer; returns the bytes written.</summary>
    private static int WriteExponent(ReadOnlySpan<byte> exponent, long shift, Span<byte> destination)
    {
        var negative = exponent.Length > 0 && exponent[0] == '-';
        var magnitude = exponent.Length > 0 && exponent[0] is (byte)'-' or (byte)'+' ? exponent[1..] : exponent;
        var significant = magnitude.TrimStart((byte)'0');
        if (significant.Length > LongExponentDigits) return WriteHugeExponent(negative, significant, shift, destination);

        long value = 0;
        foreach (var digit in significant) value = value * 10 + (digit - '0');
        var sum = (negative ? -value : value) + shift;
        sum.TryFormat(destination, out var written, default, CultureInfo.InvariantCulture);
        return written;
    }

    /// <summary>An exponent beyond a <c>long</c> means nothing a caller would mean, but it is valid JSON and must
    /// still not meet another number's form, so it is summed exactly.</summary>
    private static int WriteHugeExponent(bool negative, ReadOnlySpan<byte> digits, long shift, Span<byte> destination)
    {
        var value = BigInteger.Parse(Encoding.ASCII.GetString(digits), NumberStyles.None, CultureInfo.InvariantCulture);
        var sum = (negative ? -value : value) + shift;
        return Encoding.ASCII.GetBytes(sum.ToString(CultureInfo.InvariantCulture), destination);
    }
}
