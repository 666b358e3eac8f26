namespace IscsiCluster.Iscsi.Protocol.Text;

/// <summary>Why a text data segment is malformed (RFC 7143 6.1); each is a protocol error.</summary>
public enum TextErrorKind
{
    /// <summary>The last pair is not followed by its null delimiter.</summary>
    MissingTerminator,

    /// <summary>A pair has no '='.</summary>
    MissingSeparator,

    /// <summary>A key name is empty, too long, does not begin with a capital letter or holds a forbidden character.</summary>
    InvalidKeyName,

    /// <summary>A value is longer than <see cref="TextParser.MaxValueLength"/>.</summary>
    ValueTooLong,

    /// <summary>A pair is not valid UTF-8.</summary>
    InvalidUtf8,

    /// <summary>The same key appears twice.</summary>
    DuplicateKey,
}

/// <summary>A text parsing error. The message names keys but never values (values may be secrets' responses).</summary>
public sealed record TextError(TextErrorKind Kind, string Message);
