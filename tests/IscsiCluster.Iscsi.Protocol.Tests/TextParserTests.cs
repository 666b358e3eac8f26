using System.Text;
using IscsiCluster.Iscsi.Protocol.Text;

namespace IscsiCluster.Iscsi.Protocol.Tests;

public class TextParserTests
{
    [Fact]
    public void PairsAreParsedInOrder()
    {
        var ok = TextParser.TryParse("InitiatorName=iqn.a\0SessionType=Normal\0AuthMethod=CHAP,None\0"u8, out var pairs, out var error);

        Assert.True(ok, error?.Message);
        Assert.Equal(
            [new("InitiatorName", "iqn.a"), new("SessionType", "Normal"), new("AuthMethod", "CHAP,None")],
            pairs!);
    }

    [Fact]
    public void AnEmptyDataSegmentHasNoPairs()
    {
        Assert.True(TextParser.TryParse([], out var pairs, out _));
        Assert.Empty(pairs!);
    }

    [Fact]
    public void AnEmptyValueIsKeptAsEmpty()
    {
        Assert.True(TextParser.TryParse("InitiatorAlias=\0"u8, out var pairs, out _));
        Assert.Equal(string.Empty, pairs![0].Value);
    }

    [Fact]
    public void AValueMayContainEqualsSigns()
    {
        Assert.True(TextParser.TryParse("X-com.example.k=a=b\0"u8, out var pairs, out _));
        Assert.Equal("a=b", pairs![0].Value);
    }

    [Fact]
    public void UnicodeValuesAreDecodedAsUtf8()
    {
        Assert.True(TextParser.TryParse(Encoding.UTF8.GetBytes("InitiatorAlias=hôte\0"), out var pairs, out _));
        Assert.Equal("hôte", pairs![0].Value);
    }

    [Theory]
    [InlineData("A=1", TextErrorKind.MissingTerminator)]
    [InlineData("A=1\0B", TextErrorKind.MissingTerminator)]
    [InlineData("A1\0", TextErrorKind.MissingSeparator)]
    [InlineData("=1\0", TextErrorKind.InvalidKeyName)]
    [InlineData("lowercase=1\0", TextErrorKind.InvalidKeyName)]
    [InlineData("Bad Key=1\0", TextErrorKind.InvalidKeyName)]
    [InlineData("Bad,Key=1\0", TextErrorKind.InvalidKeyName)]
    [InlineData("A=1\0A=2\0", TextErrorKind.DuplicateKey)]
    public void MalformedTextIsRefusedWithItsReason(string text, TextErrorKind kind)
    {
        Assert.False(TextParser.TryParse(Encoding.UTF8.GetBytes(text), out _, out var error));
        Assert.Equal(kind, error!.Kind);
    }

    [Fact]
    public void AKeyNameOf63CharactersIsAcceptedAnd64Refused()
    {
        Assert.True(TextParser.TryParse(Encoding.ASCII.GetBytes("K" + new string('a', 62) + "=1\0"), out _, out _));
        Assert.False(TextParser.TryParse(Encoding.ASCII.GetBytes("K" + new string('a', 63) + "=1\0"), out _, out var error));
        Assert.Equal(TextErrorKind.InvalidKeyName, error!.Kind);
    }

    [Fact]
    public void AValueOverTheLimitIsRefused()
    {
        var text = Encoding.ASCII.GetBytes("CHAP_C=0x" + new string('a', TextParser.MaxValueLength) + "\0");

        Assert.False(TextParser.TryParse(text, out _, out var error));
        Assert.Equal(TextErrorKind.ValueTooLong, error!.Kind);
    }

    [Fact]
    public void InvalidUtf8IsRefused()
    {
        Assert.False(TextParser.TryParse([(byte)'A', (byte)'=', 0xff, 0xfe, 0], out _, out var error));
        Assert.Equal(TextErrorKind.InvalidUtf8, error!.Kind);
    }

    [Fact]
    public void ErrorMessagesNeverContainTheValue()
    {
        TextParser.TryParse("CHAP_R=secretish\0CHAP_R=secretish\0"u8, out _, out var error);

        Assert.DoesNotContain("secretish", error!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("A=1\0", true)]
    [InlineData("A=1\0B=", false)]
    [InlineData("A=1", false)]
    public void EndsWithCompletePairTellsWhetherAContinuationEndsOnAPairBoundary(string text, bool complete) =>
        Assert.Equal(complete, TextParser.EndsWithCompletePair(Encoding.ASCII.GetBytes(text)));

    [Fact]
    public void EncodeThenParseGivesBackThePairs()
    {
        TextKeyValue[] pairs = [new("TargetName", "iqn.2026-01.example:t"), new("TargetAlias", "ünïcode"), new("X-a", string.Empty)];

        var bytes = TextEncoder.Encode(pairs);

        Assert.Equal(TextEncoder.GetByteCount(pairs), bytes.Length);
        Assert.True(TextParser.TryParse(bytes, out var parsed, out _));
        Assert.Equal(pairs, parsed!);
    }

    [Theory]
    [InlineData("0", 0ul)]
    [InlineData("8192", 8192ul)]
    [InlineData("0x2000", 8192ul)]
    [InlineData("0XfF", 255ul)]
    public void NumbersAreDecimalOrHex(string text, ulong expected)
    {
        Assert.True(TextValues.TryParseNumber(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData(" 1")]
    [InlineData("1.5")]
    [InlineData("0x")]
    [InlineData("99999999999999999999999")]
    public void MalformedNumbersAreRefused(string text) => Assert.False(TextValues.TryParseNumber(text, out _));

    [Theory]
    [InlineData("0x0102ff", new byte[] { 1, 2, 0xff })]
    [InlineData("0x102", new byte[] { 1, 2 })]
    [InlineData("0bAQL/", new byte[] { 1, 2, 0xff })]
    public void BinaryValuesAreHexOrBase64(string text, byte[] expected)
    {
        Assert.True(TextValues.TryParseBinary(text, out var bytes));
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData("0x")]
    [InlineData("0xzz")]
    [InlineData("0b!!")]
    [InlineData("1234")]
    public void MalformedBinaryValuesAreRefused(string text) => Assert.False(TextValues.TryParseBinary(text, out _));

    [Fact]
    public void SegmentsOfLongTextReassembleToTheOriginalAndRespectTheLimit()
    {
        var text = TextEncoder.Encode(Enumerable.Range(0, 50).Select(i => new TextKeyValue($"TargetName{i}", "iqn.2026-01.example:t" + i)));

        var segments = TextEncoder.Segment(text, 100).ToList();

        Assert.All(segments, s => Assert.InRange(s.Length, 1, 100));
        Assert.Equal(text, segments.SelectMany(s => s.ToArray()).ToArray());
    }

    [Fact]
    public void EmptyTextIsOneEmptySegment() => Assert.Single(TextEncoder.Segment(ReadOnlyMemory<byte>.Empty, 100));
}
