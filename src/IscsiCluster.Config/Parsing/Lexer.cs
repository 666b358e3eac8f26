using System.Text;

namespace IscsiCluster.Config.Parsing;

/// <summary>
/// Splits HOCON text into tokens. Comments (<c>#</c>, <c>//</c>) are dropped up to the end of their
/// line; newlines are kept because they separate fields and list elements.
/// </summary>
internal sealed class Lexer
{
    private const string TripleQuote = "\"\"\"";

    // HOCON spec, "Unquoted strings": these characters may not appear unquoted.
    private const string ReservedChars = "$\"{}[]:=,+#`^?!@*&\\";

    private readonly string _text;
    private readonly string _origin;
    private readonly List<Token> _tokens = [];
    private int _position;
    private int _line = 1;

    private Lexer(string text, string origin)
    {
        _text = text;
        _origin = origin;
    }

    /// <summary>Tokenizes up to the first unreadable text, which becomes an <see cref="TokenKind.Error"/> token.</summary>
    public static List<Token> Tokenize(string text, string origin)
    {
        var lexer = new Lexer(text, origin);
        try
        {
            lexer.Run();
        }
        catch (ConfigException e)
        {
            lexer._tokens.Add(new Token(TokenKind.Error, e.Reason, e.Line));
            lexer.Add(TokenKind.End, string.Empty);
        }

        return lexer._tokens;
    }

    private void Run()
    {
        while (_position < _text.Length)
        {
            var c = _text[_position];
            if (c == '\n')
            {
                Add(TokenKind.Newline, "\n");
                _position++;
                _line++;
            }
            else if (IsWhitespace(c))
            {
                ReadWhitespace();
            }
            else if (c == '#' || StartsWith("//"))
            {
                SkipComment();
            }
            else if (StartsWith(TripleQuote))
            {
                ReadTripleQuoted();
            }
            else if (c == '"')
            {
                ReadQuoted();
            }
            else if (StartsWith("${"))
            {
                ReadSubstitution();
            }
            else if (StartsWith("+="))
            {
                Add(TokenKind.PlusEquals, "+=");
                _position += 2;
            }
            else if (PunctuationKind(c) is { } kind)
            {
                Add(kind, c.ToString());
                _position++;
            }
            else if (ReservedChars.Contains(c, StringComparison.Ordinal))
            {
                throw Error($"'{c}' is reserved and not allowed outside quotes; put the value in double quotes");
            }
            else
            {
                ReadUnquoted();
            }
        }

        Add(TokenKind.End, string.Empty);
    }

    private static TokenKind? PunctuationKind(char c) => c switch
    {
        '{' => TokenKind.OpenBrace,
        '}' => TokenKind.CloseBrace,
        '[' => TokenKind.OpenBracket,
        ']' => TokenKind.CloseBracket,
        ',' => TokenKind.Comma,
        ':' => TokenKind.Colon,
        '=' => TokenKind.Equals,
        _ => null,
    };

    /// <summary>HOCON whitespace: Unicode space separators, tabs, CR, BOM; newline is a token of its own.</summary>
    private static bool IsWhitespace(char c) => c != '\n' && (char.IsWhiteSpace(c) || c == '\uFEFF');

    private bool StartsWith(string prefix) => _text.AsSpan(_position).StartsWith(prefix, StringComparison.Ordinal);

    private void Add(TokenKind kind, string text, bool optional = false) => _tokens.Add(new Token(kind, text, _line, optional));

    private ConfigException Error(string reason) => new(reason, _origin, _line, null);

    private void ReadWhitespace()
    {
        var start = _position;
        while (_position < _text.Length && IsWhitespace(_text[_position]))
        {
            _position++;
        }

        Add(TokenKind.Whitespace, _text[start.._position]);
    }

    private void SkipComment()
    {
        while (_position < _text.Length && _text[_position] != '\n')
        {
            _position++;
        }
    }

    private void ReadQuoted()
    {
        if (!StringEscapes.TryReadQuoted(_text, ref _position, out var value, out var error))
        {
            throw Error(error);
        }

        Add(TokenKind.Quoted, value);
    }

    /// <summary>
    /// HOCON spec, "Multi-line strings": no escapes; the string ends at the last of three or more
    /// consecutive quotes, so <c>""""x""""</c> is <c>"x"</c> with its quotes.
    /// </summary>
    private void ReadTripleQuoted()
    {
        var startLine = _line;
        var end = _text.IndexOf(TripleQuote, _position + TripleQuote.Length, StringComparison.Ordinal);
        if (end < 0)
        {
            throw Error("triple-quoted string is not closed");
        }

        while (end + TripleQuote.Length < _text.Length && _text[end + TripleQuote.Length] == '"')
        {
            end++;
        }

        var value = _text[(_position + TripleQuote.Length)..end];
        _tokens.Add(new Token(TokenKind.Quoted, value, startLine));
        _line += value.Count(c => c == '\n');
        _position = end + TripleQuote.Length;
    }

    private void ReadSubstitution()
    {
        _position += 2;
        var optional = _position < _text.Length && _text[_position] == '?';
        if (optional)
        {
            _position++;
        }

        var expression = new StringBuilder();
        while (true)
        {
            if (_position >= _text.Length || _text[_position] == '\n')
            {
                throw Error("substitution is not closed with '}'");
            }

            var c = _text[_position];
            if (c == '}')
            {
                _position++;
                break;
            }

            if (c == '"')
            {
                var start = _position;
                if (!StringEscapes.TryReadQuoted(_text, ref _position, out _, out var error))
                {
                    throw Error(error);
                }

                expression.Append(_text, start, _position - start);
                continue;
            }

            expression.Append(c);
            _position++;
        }

        Add(TokenKind.Substitution, expression.ToString().Trim(), optional);
    }

    private void ReadUnquoted()
    {
        var start = _position;
        while (_position < _text.Length)
        {
            var c = _text[_position];
            if (c == '\n' || IsWhitespace(c) || StartsWith("//"))
            {
                break;
            }

            if (ReservedChars.Contains(c, StringComparison.Ordinal) && !IsExponentSign(start))
            {
                break;
            }

            _position++;
        }

        Add(TokenKind.Unquoted, _text[start.._position]);
    }

    /// <summary>The '+' of <c>1e+5</c> belongs to the number even though '+' is otherwise reserved.</summary>
    private bool IsExponentSign(int start)
    {
        return _text[_position] == '+'
            && _position > start
            && (_text[_position - 1] == 'e' || _text[_position - 1] == 'E')
            && (char.IsAsciiDigit(_text[start]) || _text[start] == '-')
            && !StartsWith("+=");
    }
}
