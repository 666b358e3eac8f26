using System.Reflection;

namespace IscsiCluster.Config.Parsing;

/// <summary>A document's text and the name it is reported under.</summary>
internal sealed record IncludedDocument(string Origin, string Text, IncludeSource Source);

/// <summary>
/// Where a document came from, and so where its <c>include</c> statements look
/// (HOCON spec, "Include semantics: locating resources": relative to the including file).
/// </summary>
internal abstract class IncludeSource
{
    /// <summary>Finds the document a plain <c>include "name"</c> means, or null if there is none.</summary>
    public abstract IncludedDocument? FindDefault(string name);

    /// <summary>Finds the document <c>include classpath("name")</c> means, or null if there is none.</summary>
    public virtual IncludedDocument? FindResource(string name) => null;

    public virtual bool SupportsResources => false;

    /// <summary>Finds the document <c>include file("name")</c> means, or null if there is none.</summary>
    public abstract IncludedDocument? FindFile(string name);
}

/// <summary>Files, looked up relative to a directory (the including file's, or the working directory).</summary>
internal sealed class FileIncludeSource(string? directory) : IncludeSource
{
    public static IncludeSource ForFile(string path) => new FileIncludeSource(Path.GetDirectoryName(path));

    public override IncludedDocument? FindDefault(string name) => FindFile(name);

    public override IncludedDocument? FindFile(string name)
    {
        var path = Path.IsPathRooted(name) || string.IsNullOrEmpty(directory) ? name : Path.Combine(directory, name);
        foreach (var candidate in Candidates(path))
        {
            if (File.Exists(candidate))
            {
                return new IncludedDocument(candidate, ReadFile(candidate, name), ForFile(candidate));
            }
        }

        return null;
    }

    /// <summary>HOCON spec: a name without an extension is tried with <c>.conf</c> appended.</summary>
    private static IEnumerable<string> Candidates(string path)
    {
        yield return path;
        if (!Path.HasExtension(path))
        {
            yield return path + ".conf";
        }
    }

    private static string ReadFile(string path, string name)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"cannot read included file '{name}': {e.Message}", path, 0, null, e);
        }
    }
}

/// <summary>Resources embedded in one assembly; includes name sibling resources.</summary>
internal sealed class ResourceIncludeSource(Assembly assembly, string resourceName) : IncludeSource
{
    public override bool SupportsResources => true;

    public override IncludedDocument? FindDefault(string name) => FindResource(name);

    public override IncludedDocument? FindFile(string name) => new FileIncludeSource(null).FindFile(name);

    /// <summary>Tries the name beside this resource (same namespace prefix), then the name as given.</summary>
    public override IncludedDocument? FindResource(string name)
    {
        var dotted = name.TrimStart('/').Replace('/', '.');
        var lastDot = resourceName.LastIndexOf('.', Math.Max(0, resourceName.LastIndexOf('.') - 1));
        var sibling = lastDot > 0 ? resourceName[..(lastDot + 1)] + dotted : dotted;
        foreach (var candidate in new[] { sibling, dotted, sibling + ".conf" })
        {
            if (Load(assembly, candidate) is { } text)
            {
                return new IncludedDocument(candidate, text, new ResourceIncludeSource(assembly, candidate));
            }
        }

        return null;
    }

    public static string? Load(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name);
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
