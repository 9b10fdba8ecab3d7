using Sentiment.Model.Text;

namespace Sentiment.Tests.Model;

public class TextPreprocessorTests
{
    [Theory]
    [InlineData(@"caf\u00e9", "café")]
    [InlineData(@"\u0048\u0069", "Hi")]
    [InlineData(@"smile \ud83d\ude00!", "smile 😀!")]
    [InlineData(@"\uD83D\uDE00", "😀")]
    public void Unicode_escapes_are_decoded_and_surrogate_pairs_combined(string input, string expected)
    {
        Assert.Equal(expected, TextPreprocessor.DecodeUnicodeEscapes(input));
    }

    [Theory]
    [InlineData(@"lone high \ud83d here", @"lone high \ud83d here")]
    [InlineData(@"lone low \ude00 here", @"lone low \ude00 here")]
    [InlineData(@"high then letter \ud83d\u0041", @"high then letter \ud83dA")]
    [InlineData(@"not hex \u12g4", @"not hex \u12g4")]
    [InlineData(@"too short \u12", @"too short \u12")]
    [InlineData(@"capital U \U0041", @"capital U \U0041")]
    public void Unpaired_surrogates_and_invalid_escapes_stay_as_written(string input, string expected)
    {
        Assert.Equal(expected, TextPreprocessor.DecodeUnicodeEscapes(input));
    }

    [Theory]
    [InlineData("fish &amp; chips", "fish & chips")]
    [InlineData("&lt;3 &gt;:(", "<3 >:(")]
    [InlineData("&quot;great&quot; &#39;deal&#39;", "\"great\" 'deal'")]
    [InlineData("&amp;lt; stays one level", "&lt; stays one level")]
    [InlineData("&nbsp; &AMP; &#40; untouched", "&nbsp; &AMP; &#40; untouched")]
    public void Html_entities_are_decoded_in_one_pass(string input, string expected)
    {
        Assert.Equal(expected, TextPreprocessor.DecodeHtmlEntities(input));
    }

    [Theory]
    [InlineData("see https://t.co/abc123 now", "see http now")]
    [InlineData("HTTP://EXAMPLE.COM/x?y=1", "http")]
    [InlineData("go to www.example.org/help, thanks", "go to http thanks")]
    [InlineData("(https://example.com)", "(http")]
    [InlineData("two http://a.b http://c.d", "two http http")]
    [InlineData("mywww.example.com stays", "mywww.example.com stays")]
    [InlineData("xhttp://a.b stays", "xhttp://a.b stays")]
    [InlineData("ftp://files.example.com stays", "ftp://files.example.com stays")]
    [InlineData("http:// alone", "http:// alone")]
    public void Urls_become_http(string input, string expected)
    {
        Assert.Equal(expected, TextPreprocessor.ReplaceUrls(input));
    }

    [Theory]
    [InlineData("@jdoe thanks", "@user thanks")]
    [InlineData("thanks @jdoe_99!", "thanks @user!")]
    [InlineData("cc @a @b", "cc @user @user")]
    [InlineData("mail me at me@example.com", "mail me at me@example.com")]
    [InlineData("@@double", "@@double")]
    [InlineData("@ alone", "@ alone")]
    [InlineData("(@josé)", "(@user)")]
    [InlineData("@𝐟𝐚𝐧𝐜𝐲 font", "@user font")]
    [InlineData("𝐚@b stays", "𝐚@b stays")]
    [InlineData("@😀 emoji is no name", "@😀 emoji is no name")]
    [InlineData("@name😀", "@user😀")]
    public void Mentions_become_at_user(string input, string expected)
    {
        Assert.Equal(expected, TextPreprocessor.ReplaceMentions(input));
    }

    [Theory]
    [InlineData("  padded  ", "padded")]
    [InlineData("a \t\n b", "a b")]
    [InlineData("a\u00a0\u2003b", "a b")]
    [InlineData("a\u001cb", "a b")]
    [InlineData("already normal", "already normal")]
    [InlineData("", "")]
    [InlineData(" \t ", "")]
    public void Whitespace_runs_collapse_to_one_space_and_ends_are_trimmed(string input, string expected)
    {
        Assert.Equal(expected, TextPreprocessor.CollapseWhitespace(input));
    }

    [Fact]
    public void Rules_apply_in_order_escape_entity_url_mention_whitespace()
    {
        // The escape yields '&amp;', which the entity rule (running after it) decodes; '&amp;#64;' decodes once,
        // to '&#64;', not on to '@'; the URL goes before the mention rule could see its '@'.
        var input = "  \\u0026amp; &#39;hi&#39;\\u0020&amp;#64;x  https://u@example.com   @Bob\\u00e9 ";

        Assert.Equal("& 'hi' &#64;x http @user", TextPreprocessor.Normalize(input));
    }

    [Fact]
    public void Text_that_needs_no_change_is_returned_as_the_same_instance()
    {
        var text = "Nothing to change here, just words.";

        Assert.Same(text, TextPreprocessor.Normalize(text));
    }
}
