namespace IscsiCluster.Config.Parsing;

internal enum TokenKind
{
    OpenBrace,
    CloseBrace,
    OpenBracket,
    CloseBracket,
    Comma,
    Colon,
    Equals,
    PlusEquals,
    Newline,
    Whitespace,
    Unquoted,
    Quoted,
    Substitution,

    /// <summary>Text the lexer could not read; <see cref="Token.Text"/> says why. The parser reports it with the key it was in.</summary>
    Error,
    End,
}

/// <param name="Text">The decoded text: string contents, the whitespace itself, a substitution's path expression, or an error's reason.</param>
/// <param name="Optional">For a substitution, whether it was written <c>${?...}</c>.</param>
internal readonly record struct Token(TokenKind Kind, string Text, int Line, bool Optional = false)
{
    public string Describe() => Kind switch
    {
        TokenKind.OpenBrace => "'{'",
        TokenKind.CloseBrace => "'}'",
        TokenKind.OpenBracket => "'['",
        TokenKind.CloseBracket => "']'",
        TokenKind.Comma => "','",
        TokenKind.Colon => "':'",
        TokenKind.Equals => "'='",
        TokenKind.PlusEquals => "'+='",
        TokenKind.Newline => "a newline",
        TokenKind.Whitespace => "whitespace",
        TokenKind.Unquoted => $"'{Text}'",
        TokenKind.Quoted => StringEscapes.Quote(Text),
        TokenKind.Substitution => Optional ? $"${{?{Text}}}" : $"${{{Text}}}",
        _ => "the end of the input",
    };
}
