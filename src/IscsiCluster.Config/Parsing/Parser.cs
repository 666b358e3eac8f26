using IscsiCluster.Config.Resolution;
using IscsiCluster.Config.Values;

namespace IscsiCluster.Config.Parsing;

/// <summary>
/// Recursive-descent parser from tokens to an unresolved tree (HOCON spec, "Syntax").
/// Repeated keys are merged as they are met, so the tree holds one value per key.
/// </summary>
internal sealed partial class Parser
{
    /// <summary>Deepest nesting of objects, lists and dotted key segments; guards the stack against hostile input.</summary>
    public const int MaxDepth = 64;

    private readonly List<Token> _tokens;
    private readonly string _origin;
    private readonly IncludeSource _source;
    private readonly ConfigPath _basePath;
    private readonly IReadOnlyList<string> _includeChain;
    private int _position;

    /// <summary>The key being parsed, named in errors the lexer found inside its value.</summary>
    private string? _currentField;

    private Parser(string text, string origin, IncludeSource source, ConfigPath basePath, IReadOnlyList<string> includeChain)
    {
        _tokens = Lexer.Tokenize(text, origin);
        _origin = origin;
        _source = source;
        _basePath = basePath;
        _includeChain = includeChain;
    }

    /// <summary>Parses a whole document into its root object.</summary>
    public static ConfigObject Parse(string text, string origin, IncludeSource source) =>
        new Parser(text, origin, source, ConfigPath.Root, [origin]).ParseDocument(0);

    private ConfigObject ParseDocument(int depth)
    {
        SkipWhitespaceAndNewlines();
        var first = Peek();
        if (first.Kind == TokenKind.OpenBracket)
        {
            throw Error(first, "the document root must be an object, not a list");
        }

        if (first.Kind != TokenKind.OpenBrace)
        {
            return ParseObjectBody(new ConfigObject(At(first.Line)), _basePath, TokenKind.End, depth);
        }

        Next();
        var root = ParseObjectBody(new ConfigObject(At(first.Line)), _basePath, TokenKind.CloseBrace, depth + 1);
        SkipWhitespaceAndNewlines();
        var rest = Peek();
        if (rest.Kind != TokenKind.End)
        {
            throw Error(rest, $"expected the end of the input after the root object's '}}', got {rest.Describe()}");
        }

        return root;
    }

    /// <summary>Parses fields up to <paramref name="closing"/> ('}' or the end of the input) into <paramref name="target"/>.</summary>
    /// <param name="objectPath">The object's absolute path, or null for an object inside a list.</param>
    private ConfigObject ParseObjectBody(ConfigObject target, ConfigPath? objectPath, TokenKind closing, int depth)
    {
        CheckDepth(depth, objectPath);
        var opened = target.Origin.Line;
        while (true)
        {
            SkipWhitespaceAndNewlines();
            var token = Peek();
            if (token.Kind == closing)
            {
                if (closing != TokenKind.End)
                {
                    Next();
                }

                return target;
            }

            switch (token.Kind)
            {
                case TokenKind.End:
                    throw Error(token, $"the object opened on line {opened} is not closed with '}}'");
                case TokenKind.Comma:
                    throw Error(token, "unexpected ','; a field is missing before it");
                case TokenKind.CloseBrace or TokenKind.CloseBracket:
                    throw Error(token, $"unexpected {token.Describe()}; nothing opened it");
            }

            string fieldName;
            if (IsIncludeStatement())
            {
                fieldName = "include";
                target = ParseInclude(target, objectPath, depth);
            }
            else
            {
                target = ParseField(target, objectPath, depth, out fieldName);
            }

            SkipWhitespace();
            var after = Peek();
            if (after.Kind == TokenKind.Comma)
            {
                Next();
                SkipWhitespaceAndNewlines();
                if (Peek().Kind == TokenKind.Comma)
                {
                    throw Error(Peek(), "two commas in a row", fieldName);
                }
            }
            else if (after.Kind != TokenKind.Newline && after.Kind != closing)
            {
                throw Error(after, $"expected ',' or a newline after the value, got {after.Describe()}", fieldName);
            }
        }
    }

    private ConfigObject ParseField(ConfigObject target, ConfigPath? objectPath, int depth, out string fieldName)
    {
        var key = ParseKey();
        var fieldPath = objectPath?.Append(key);
        fieldName = (fieldPath ?? key).ToString();
        var enclosingField = _currentField;
        _currentField = fieldName;
        CheckDepth(depth + key.Length, fieldPath);
        SkipWhitespace();
        var separator = Next();
        var valueDepth = depth + key.Length;
        ConfigValue value;
        switch (separator.Kind)
        {
            case TokenKind.Colon or TokenKind.Equals:
                SkipWhitespaceAndNewlines();
                value = ParseValue(fieldPath, fieldName, valueDepth);
                break;
            case TokenKind.PlusEquals:
                SkipWhitespaceAndNewlines();
                value = ParseAppend(separator, fieldPath, fieldName, valueDepth);
                break;
            case TokenKind.OpenBrace:
                value = ParseObjectBody(new ConfigObject(At(separator.Line)), fieldPath, TokenKind.CloseBrace, valueDepth + 1);
                break;
            default:
                throw Error(separator, $"expected ':', '=' or '{{' after the key, got {separator.Describe()}", fieldName);
        }

        for (var i = key.Length - 1; i > 0; i--)
        {
            value = new ConfigObject(value.Origin).With(key.Segments[i], value);
        }

        _currentField = enclosingField;
        var first = key.Segments[0];
        return target.With(first, Merger.Merge(target.GetOrNull(first), value, objectPath?.Append(first)));
    }

    /// <summary>HOCON spec, "The +=  field separator": <c>a += x</c> means <c>a = ${?a} [x]</c>.</summary>
    private ConfigConcatenation ParseAppend(Token separator, ConfigPath? fieldPath, string fieldName, int depth)
    {
        if (fieldPath is null)
        {
            throw Error(separator, "'+=' cannot be used inside an object that is a list element", fieldName);
        }

        var element = ParseValue(null, fieldName, depth + 1);
        var origin = At(separator.Line);
        var self = new ConfigSubstitution(origin, fieldPath, optional: true, written: fieldPath);
        return new ConfigConcatenation(origin, [self, new ConfigList(origin, [element])]);
    }

    /// <summary>
    /// A key is unquoted and quoted strings (and the whitespace between them) up to the separator;
    /// dots in the unquoted parts split it into path segments (HOCON spec, "Paths as keys").
    /// </summary>
    private ConfigPath ParseKey()
    {
        var start = Peek();
        var pieces = new List<Token>();
        while (Peek().Kind is TokenKind.Unquoted or TokenKind.Quoted or TokenKind.Whitespace)
        {
            pieces.Add(Next());
        }

        while (pieces.Count > 0 && pieces[^1].Kind == TokenKind.Whitespace)
        {
            pieces.RemoveAt(pieces.Count - 1);
        }

        if (pieces.Count == 0)
        {
            throw Error(start, $"expected a key, got {start.Describe()}");
        }

        var segments = new List<string>();
        var current = new System.Text.StringBuilder();
        var hasText = false;
        foreach (var piece in pieces)
        {
            if (piece.Kind != TokenKind.Unquoted)
            {
                current.Append(piece.Text);
                hasText |= piece.Kind == TokenKind.Quoted;
                continue;
            }

            foreach (var c in piece.Text)
            {
                if (c != '.')
                {
                    current.Append(c);
                    hasText = true;
                    continue;
                }

                if (!hasText)
                {
                    throw Error(piece, $"key '{KeyText(pieces)}' has an empty segment; quote it (\"\") if an empty key is meant");
                }

                segments.Add(current.ToString());
                current.Clear();
                hasText = false;
            }
        }

        if (!hasText)
        {
            throw Error(start, $"key '{KeyText(pieces)}' has an empty segment; quote it (\"\") if an empty key is meant");
        }

        segments.Add(current.ToString());
        return new ConfigPath(segments);
    }

    private static string KeyText(List<Token> pieces) =>
        string.Concat(pieces.Select(p => p.Kind == TokenKind.Quoted ? StringEscapes.Quote(p.Text) : p.Text));

    /// <summary>Parses one value, or several side by side on one line as a concatenation.</summary>
    private ConfigValue ParseValue(ConfigPath? fieldPath, string fieldName, int depth)
    {
        CheckDepth(depth, fieldPath);
        var start = Peek();
        var parts = new List<ConfigValue>();
        var firstIsUnquoted = Peek().Kind == TokenKind.Unquoted;
        while (NextValuePart(fieldPath, fieldName, depth) is { } part)
        {
            parts.Add(part);
        }

        while (parts.Count > 0 && parts[^1] is ConfigWhitespace)
        {
            parts.RemoveAt(parts.Count - 1);
        }

        var next = Peek();
        if (next.Kind is TokenKind.Colon or TokenKind.Equals or TokenKind.PlusEquals)
        {
            throw Error(next, $"unexpected {next.Describe()} in a value; put the value in double quotes", fieldName);
        }

        if (parts.Count == 0)
        {
            throw Error(next, $"expected a value, got {next.Describe()}", fieldName);
        }

        if (parts.Count > 1)
        {
            return new ConfigConcatenation(At(start.Line), parts);
        }

        return firstIsUnquoted ? ConfigScalar.FromUnquoted(parts[0].Origin, ((ConfigScalar)parts[0]).Text) : parts[0];
    }

    /// <summary>Consumes the next piece of a value, or returns null at whatever ends the value.</summary>
    private ConfigValue? NextValuePart(ConfigPath? fieldPath, string fieldName, int depth)
    {
        var token = Peek();
        var origin = At(token.Line);
        switch (token.Kind)
        {
            case TokenKind.Quoted or TokenKind.Unquoted:
                Next();
                return ConfigScalar.String(origin, token.Text);
            case TokenKind.Whitespace:
                Next();
                return new ConfigWhitespace(origin, token.Text);
            case TokenKind.Substitution:
                Next();
                return MakeSubstitution(token, fieldName);
            case TokenKind.OpenBrace:
                Next();
                return ParseObjectBody(new ConfigObject(origin), fieldPath, TokenKind.CloseBrace, depth + 1);
            case TokenKind.OpenBracket:
                Next();
                return ParseList(token, fieldName, depth + 1);
            default:
                return null;
        }
    }

    private ConfigList ParseList(Token open, string fieldName, int depth)
    {
        CheckDepth(depth, null);
        var items = new List<ConfigValue>();
        while (true)
        {
            SkipWhitespaceAndNewlines();
            var token = Peek();
            switch (token.Kind)
            {
                case TokenKind.CloseBracket:
                    Next();
                    return new ConfigList(At(open.Line), items);
                case TokenKind.End:
                    throw Error(token, $"the list opened on line {open.Line} is not closed with ']'", fieldName);
                case TokenKind.Comma:
                    throw Error(token, "unexpected ',' in a list; an element is missing before it", fieldName);
            }

            items.Add(ParseValue(null, fieldName, depth));
            SkipWhitespace();
            var after = Peek();
            if (after.Kind == TokenKind.Comma)
            {
                Next();
            }
            else if (after.Kind is not (TokenKind.Newline or TokenKind.CloseBracket))
            {
                throw Error(after, $"expected ',' or ']' in the list, got {after.Describe()}", fieldName);
            }
        }
    }

    private ConfigSubstitution MakeSubstitution(Token token, string fieldName)
    {
        if (!ConfigPath.TryParse(token.Text, out var written, out var error))
        {
            throw Error(token, $"bad substitution {token.Describe()}: {error}", fieldName);
        }

        return new ConfigSubstitution(At(token.Line), _basePath.Append(written), token.Optional, written);
    }

    private void CheckDepth(int depth, ConfigPath? path)
    {
        if (depth > MaxDepth)
        {
            throw Error(Peek(), $"values are nested more than {MaxDepth} levels deep", path?.ToString());
        }
    }

    private ConfigOrigin At(int line) => new(_origin, line);

    private Token Peek()
    {
        var token = _tokens[_position];
        return token.Kind == TokenKind.Error ? throw Error(token, token.Text, _currentField) : token;
    }

    private Token Next()
    {
        var token = Peek();
        if (token.Kind != TokenKind.End)
        {
            _position++;
        }

        return token;
    }

    private void SkipWhitespace()
    {
        while (Peek().Kind == TokenKind.Whitespace)
        {
            _position++;
        }
    }

    private void SkipWhitespaceAndNewlines()
    {
        while (Peek().Kind is TokenKind.Whitespace or TokenKind.Newline)
        {
            _position++;
        }
    }

    private ConfigException Error(Token at, string reason, string? path = null) => new(reason, _origin, at.Line, path);
}
