using Jarvis.Actors.Diagnostics;

namespace Jarvis.Actors.Tests.Diagnostics;

public sealed class LogTextTests
{
    [Theory]
    [InlineData("nr-0f8fad5b-d9cb-469f-a165-70867728950e")]
    [InlineData("run/1/node/4 ~!@#$%^&*()")]
    [InlineData("café-ünïcødé-名前-😀")] // printable beyond ASCII, a surrogate pair included
    [InlineData("")]
    public void A_printable_id_that_fits_is_returned_as_the_same_instance(string id)
    {
        Assert.Same(id, LogText.Id(id));
    }

    [Fact]
    public void The_usual_id_costs_no_allocation()
    {
        var id = "nr-0f8fad5b-d9cb-469f-a165-70867728950e";
        LogText.Id(id); // compiled before measuring

        // Call by call, so that what the runtime itself allocates between calls (on-stack replacement of this loop)
        // is not counted.
        var allocated = 0L;
        for (var i = 0; i < 1_000; i++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            LogText.Id(id);
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void An_id_of_exactly_the_limit_is_kept_whole_and_one_more_character_is_cut_with_the_count()
    {
        var fits = new string('a', LogText.MaxIdLength);
        Assert.Same(fits, LogText.Id(fits));
        Assert.Equal(new string('a', 128) + "...(1 more chars)", LogText.Id(fits + "b"));
    }

    [Fact]
    public void A_long_id_is_cut_to_128_characters_followed_by_how_many_were_left_out()
    {
        var id = "nr-" + new string('7', 1_000_000);

        var logged = LogText.Id(id);

        Assert.Equal(128, LogText.MaxIdLength);
        Assert.Equal("nr-" + new string('7', 125) + "...(999875 more chars)", logged);
    }

    [Theory]
    [InlineData("a\nb", @"a\u000Ab")]
    [InlineData("a\r\nFAKE", @"a\u000D\u000AFAKE")]
    [InlineData("\u001b[31mred\u001b[0m", @"\u001B[31mred\u001B[0m")]
    [InlineData("\0\t\u007f", @"\u0000\u0009\u007F")]
    [InlineData("c1 \u0085 \u009b \u0080 \u009f", @"c1 \u0085 \u009B \u0080 \u009F")] // NEL, CSI, the C1 range's ends
    [InlineData("l\u2028p\u2029", @"l\u2028p\u2029")]
    [InlineData("\u202Egnp.exe \u2066x\u2069 \u200E\u200F\u061C", @"\u202Egnp.exe \u2066x\u2069 \u200E\u200F\u061C")]
    public void Control_line_breaking_and_bidi_characters_are_escaped(string id, string logged)
    {
        Assert.Equal(logged, LogText.Id(id));
    }

    [Fact]
    public void A_surrogate_without_its_pair_is_escaped()
    {
        // Built at run time rather than as theory data, which test discovery serialises.
        var id = "lone " + '\uD800' + " and " + '\uDC00';

        Assert.Equal(@"lone \uD800 and \uDC00", LogText.Id(id));
    }

    [Fact]
    public void Escapes_count_toward_the_limit_and_are_never_split()
    {
        // 125 characters, then an escape that would need 6 more: it is left out whole.
        var id = new string('a', 125) + "\u001b" + "tail";

        Assert.Equal(new string('a', 125) + "...(5 more chars)", LogText.Id(id));
    }

    [Fact]
    public void A_surrogate_pair_is_never_split_at_the_cut()
    {
        var id = new string('a', 127) + "😀" + "b";

        Assert.Equal(new string('a', 127) + "...(3 more chars)", LogText.Id(id));
    }

    [Fact]
    public void Messages_get_a_longer_limit_and_null_stays_null()
    {
        Assert.Equal(new string('m', 1024) + "...(976 more chars)", LogText.Message(new string('m', 2000)));
        Assert.Null(LogText.Id(null));
    }
}
