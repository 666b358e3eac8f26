using IscsiCluster.Admin.Contracts.Json;
using IscsiCluster.Admin.Contracts.Model;
using IscsiCluster.Admin.Tests.TestSupport;

namespace IscsiCluster.Admin.Tests.Json;

public sealed class ConfigurationFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("adm-file-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void ASavedConfigurationLoadsBackTheSame()
    {
        var path = Path.Combine(_directory, "state", "configuration.json");
        ConfigurationFile.Save(path, Samples.Configuration);

        Assert.Equal(Samples.Configuration, ConfigurationFile.Load(path));
        Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public void SavingReplacesThePreviousConfiguration()
    {
        var path = Path.Combine(_directory, "configuration.json");
        ConfigurationFile.Save(path, Samples.Configuration);
        ConfigurationFile.Save(path, ClusterConfiguration.Empty);

        Assert.Equal(ClusterConfiguration.Empty, ConfigurationFile.Load(path));
    }

    [Fact]
    public void AMissingFileIsAnEmptyConfiguration() =>
        Assert.Equal(ClusterConfiguration.Empty, ConfigurationFile.Load(Path.Combine(_directory, "absent.json")));

    [Theory]
    [InlineData("{\"targets\": [")]
    [InlineData("{}")]
    [InlineData("{\"targets\":null,\"accounts\":[],\"discoveryIncomingUsers\":[]}")]
    public void ACorruptFileIsReportedWithItsPath(string text)
    {
        var path = Path.Combine(_directory, "configuration.json");
        File.WriteAllText(path, text);

        var exception = Assert.Throws<InvalidDataException>(() => ConfigurationFile.Load(path));
        Assert.Contains(path, exception.Message, StringComparison.Ordinal);
    }
}
