using System.Text;

namespace IscsiCluster.Config.Tests;

/// <summary>Seeded random and mutated documents: the only exception the library may throw is ConfigException.</summary>
public class FuzzTests
{
    private const int MutatedInputs = 3000;
    private const int RandomInputs = 1000;

    private static readonly string[] Seeds =
    [
        "a = 1\nb { c = [1, 2, ${a}] }\nd = ${?b.c} [3]",
        "iscsi { portal.port = 3260, timeout = 10s, size = 64MiB }\nx = ${iscsi.portal.port}",
        "list = [a]\nlist += b\nlist = ${list} [c]\ns = \"q\\\"\" foo ${list.0}",
        "o1 { a = 1 }\no2 = ${o1} { b = 2 }\no1 = ${o2}",
        "\"k.q\" = \"\"\"multi\nline\"\"\"\n# comment\n// comment\ne = null, f = yes",
        "{ \"json\": [ { \"x\": 1.5e3 }, true, false ], \"y\": -0.5 }",
        "a = ${b}\nb = ${c}\nc = ${a}\ninclude \"missing.conf\"",
    ];

    private static readonly string[] Fragments =
    [
        "{", "}", "[", "]", ",", ":", "=", "+=", "\n", " ", "\"", "\"\"\"", "${", "${?", "}", ".", "#", "//",
        "a", "b.c", "1", "-", "1e+", "true", "null", "include ", "file(", ")", "\\", "\\u", "$", "?", "10s", "4K",
    ];

    [Fact]
    public void MutatedDocumentsThrowOnlyConfigException()
    {
        var random = new Random(20260101);
        var parsed = 0;
        for (var i = 0; i < MutatedInputs; i++)
        {
            var text = new StringBuilder(Seeds[random.Next(Seeds.Length)]);
            var mutations = random.Next(1, 6);
            for (var m = 0; m < mutations; m++)
            {
                Mutate(text, random);
            }

            parsed += Exercise(text.ToString()) ? 1 : 0;
        }

        // Mutations must leave enough valid documents for the resolver, getters and renderer to be exercised.
        Assert.InRange(parsed, MutatedInputs / 10, MutatedInputs);
    }

    [Fact]
    public void RandomFragmentSoupThrowsOnlyConfigException()
    {
        var random = new Random(7143);
        for (var i = 0; i < RandomInputs; i++)
        {
            var text = new StringBuilder();
            var length = random.Next(1, 40);
            for (var f = 0; f < length; f++)
            {
                text.Append(random.Next(4) == 0 ? (char)random.Next(1, 0x250) : Fragments[random.Next(Fragments.Length)]);
            }

            Exercise(text.ToString());
        }
    }

    private static void Mutate(StringBuilder text, Random random)
    {
        var at = random.Next(text.Length + 1);
        switch (random.Next(4))
        {
            case 0:
                text.Insert(at, Fragments[random.Next(Fragments.Length)]);
                break;
            case 1 when text.Length > 0:
                text.Remove(Math.Min(at, text.Length - 1), Math.Min(random.Next(1, 5), text.Length - Math.Min(at, text.Length - 1)));
                break;
            case 2 when at < text.Length:
                text[at] = (char)random.Next(1, 128);
                break;
            default:
                var start = random.Next(text.Length);
                var count = Math.Min(random.Next(1, 12), text.Length - start);
                text.Insert(at, text.ToString(start, count));
                break;
        }
    }

    /// <summary>Parses, resolves, reads every key every way and round-trips the rendering; true if the text was valid.</summary>
    private static bool Exercise(string text)
    {
        try
        {
            var config = Config.ParseString(text, "fuzz.conf").Resolve();
            foreach (var key in config.GetKeys())
            {
                ReadEveryWay(config, ConfigPathOf(key));
            }

            var rendered = config.Render();
            Assert.Equal(rendered, Config.ParseString(rendered).Render());
            return true;
        }
        catch (ConfigException)
        {
            return false;
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            Assert.Fail($"{e.GetType().Name} for input {Escape(text)}: {e}");
            return false;
        }
    }

    private static void ReadEveryWay(Config config, string path)
    {
        Action[] reads =
        [
            () => config.GetString(path), () => config.GetLong(path), () => config.GetDouble(path),
            () => config.GetBoolean(path), () => config.GetTimeSpan(path), () => config.GetByteSize(path),
            () => config.GetStringList(path), () => config.GetConfigList(path), () => config.GetConfig(path).GetKeys(),
            () => config.HasPath(path), () => config.GetString(path, "d"),
        ];
        foreach (var read in reads)
        {
            try
            {
                read();
            }
            catch (ConfigException)
            {
            }
        }
    }

    private static string ConfigPathOf(string key) => "\"" + key.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static string Escape(string text) => string.Concat(text.Select(c => c < 32 || c > 126 ? $"\\u{(int)c:x4}" : c.ToString()));
}
