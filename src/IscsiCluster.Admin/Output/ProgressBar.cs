using System.Globalization;
using IscsiCluster.Admin.Contracts.Protocol;

namespace IscsiCluster.Admin.Output;

/// <summary>Draws import progress on one terminal line: "importing /dev/sdb [#####.....]  50% 512 MiB / 1 GiB".</summary>
internal sealed class ProgressBar(TextWriter terminal) : IProgress<AdmProgress>
{
    private const int Width = 30;
    private bool _drawn;

    public void Report(AdmProgress value)
    {
        terminal.Write('\r');
        terminal.Write(Render(value));
        _drawn = true;
        if (value.DoneBytes >= value.TotalBytes)
        {
            Finish();
        }
    }

    /// <summary>Ends the progress line, if one was drawn.</summary>
    public void Finish()
    {
        if (_drawn)
        {
            terminal.Write('\n');
            _drawn = false;
        }
    }

    public static string Render(AdmProgress value)
    {
        var fraction = value.TotalBytes <= 0 ? 1.0 : Math.Clamp((double)value.DoneBytes / value.TotalBytes, 0, 1);
        var filled = (int)(fraction * Width);
        var percent = (int)(fraction * 100);
        return string.Create(CultureInfo.InvariantCulture,
            $"{value.Activity} [{new string('#', filled)}{new string('.', Width - filled)}] {percent,3}% {Bytes(value.DoneBytes)} / {Bytes(value.TotalBytes)}");
    }

    private static string Bytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0 ? $"{bytes} B" : string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {units[unit]}");
    }
}
