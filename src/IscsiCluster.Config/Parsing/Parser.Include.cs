using IscsiCluster.Config.Resolution;
using IscsiCluster.Config.Values;

namespace IscsiCluster.Config.Parsing;

/// <summary>
/// <c>include "name"</c>, <c>include file("name")</c>, <c>include classpath("name")</c> and
/// <c>include required(...)</c> (HOCON spec, "Includes"). A missing document is skipped unless it is
/// required; the included fields merge into the including object as if written there, and the
/// included file's substitutions are fixed up to be relative to that object.
/// </summary>
internal sealed partial class Parser
{
    private const string IncludeKeyword = "include";
    private const int MaxIncludeDepth = 16;

    private enum IncludeKind
    {
        Default,
        File,
        Classpath,
        Url,
    }

    private static readonly string[] IncludeFunctionPrefixes = ["file(", "classpath(", "url(", "required("];

    /// <summary>An unquoted <c>include</c> followed by whitespace and a quoted name or an include function.</summary>
    private bool IsIncludeStatement()
    {
        if (_position + 2 >= _tokens.Count)
        {
            return false;
        }

        var keyword = _tokens[_position];
        var gap = _tokens[_position + 1];
        var argument = _tokens[_position + 2];
        return keyword is { Kind: TokenKind.Unquoted, Text: IncludeKeyword }
            && gap.Kind == TokenKind.Whitespace
            && (argument.Kind == TokenKind.Quoted
                || (argument.Kind == TokenKind.Unquoted
                    && IncludeFunctionPrefixes.Any(p => argument.Text.StartsWith(p, StringComparison.Ordinal))));
    }

    private ConfigObject ParseInclude(ConfigObject target, ConfigPath? objectPath, int depth)
    {
        var keyword = Next();
        SkipWhitespace();
        var (kind, required, name) = ParseIncludeArgument(keyword);
        var document = kind switch
        {
            IncludeKind.File => _source.FindFile(name),
            IncludeKind.Classpath when _source.SupportsResources => _source.FindResource(name),
            IncludeKind.Classpath => throw Error(keyword, "include classpath(...) works only inside embedded resources; use file(...)"),
            IncludeKind.Url => throw Error(keyword, "include url(...) is not supported; use file(...)"),
            _ => _source.FindDefault(name),
        };

        if (document is null)
        {
            return required ? throw Error(keyword, $"required include \"{name}\" was not found") : target;
        }

        if (_includeChain.Contains(document.Origin))
        {
            throw Error(keyword, $"include cycle: {string.Join(" -> ", _includeChain.Append(document.Origin))}");
        }

        if (_includeChain.Count > MaxIncludeDepth)
        {
            throw Error(keyword, $"includes are nested more than {MaxIncludeDepth} levels deep");
        }

        var basePath = objectPath ?? ConfigPath.Root;
        var included = new Parser(document.Text, document.Origin, document.Source, basePath, [.. _includeChain, document.Origin])
            .ParseDocument(depth);
        return Merger.MergeObjects(target, included, objectPath);
    }

    /// <summary>Reads <c>"name"</c> wrapped in at most <c>required(</c> and one of <c>file(</c>, <c>classpath(</c>, <c>url(</c>.</summary>
    private (IncludeKind Kind, bool Required, string Name) ParseIncludeArgument(Token keyword)
    {
        var before = string.Empty;
        string? name = null;
        var after = string.Empty;
        while (Peek().Kind is TokenKind.Unquoted or TokenKind.Quoted or TokenKind.Whitespace)
        {
            var token = Next();
            if (token.Kind == TokenKind.Quoted && name is null)
            {
                name = token.Text;
            }
            else if (token.Kind == TokenKind.Unquoted && name is null)
            {
                before += token.Text;
            }
            else if (token.Kind == TokenKind.Unquoted)
            {
                after += token.Text;
            }
            else if (token.Kind == TokenKind.Quoted)
            {
                throw MalformedInclude(keyword);
            }
        }

        var required = before.StartsWith("required(", StringComparison.Ordinal);
        var function = required ? before["required(".Length..] : before;
        var kind = function switch
        {
            "" => IncludeKind.Default,
            "file(" => IncludeKind.File,
            "classpath(" => IncludeKind.Classpath,
            "url(" => IncludeKind.Url,
            _ => throw MalformedInclude(keyword),
        };
        var closing = (required ? 1 : 0) + (kind == IncludeKind.Default ? 0 : 1);
        if (name is null || after != new string(')', closing))
        {
            throw MalformedInclude(keyword);
        }

        return (kind, required, name);
    }

    private ConfigException MalformedInclude(Token keyword) =>
        Error(keyword, "malformed include; write include \"name\", include file(\"name\"), include classpath(\"name\") or wrap one in required(...)");
}
