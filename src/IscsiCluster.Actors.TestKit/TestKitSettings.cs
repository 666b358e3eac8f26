using System.Globalization;

namespace IscsiCluster.Actors.TestKit;

/// <summary>Timing knobs for actor tests; slow machines (CI) stretch every default timeout with the time factor.</summary>
public static class TestKitSettings
{
    /// <summary>Environment variable holding a positive multiplier for test timeouts (default 1).</summary>
    public const string TimeFactorVariable = "ISCSICLUSTER_TEST_TIME_FACTOR";

    private static readonly TimeSpan UndilatedDefaultTimeout = TimeSpan.FromSeconds(3);

    public static double TimeFactor { get; } = ReadTimeFactor(Environment.GetEnvironmentVariable(TimeFactorVariable));

    /// <summary>How long an Expect* call waits when no timeout is given: 3 s times <see cref="TimeFactor"/>.</summary>
    public static TimeSpan DefaultTimeout => Dilated(UndilatedDefaultTimeout);

    public static TimeSpan Dilated(TimeSpan duration) => duration * TimeFactor;

    internal static double ReadTimeFactor(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var factor) && factor > 0 ? factor : 1.0;
}
