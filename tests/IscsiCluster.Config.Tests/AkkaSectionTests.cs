namespace IscsiCluster.Config.Tests;

/// <summary>The resolved akka section, as Akka.NET reads it: every value this library resolved, nothing Akka would misread.</summary>
public class AkkaSectionTests
{
    [Fact]
    public void ADocumentWithoutAnAkkaSectionGivesAkkaNothing()
    {
        var akka = AkkaSection.From(Config.ParseString("iscsi-cluster.node.name = n1"));
        Assert.True(akka.IsEmpty);
    }

    [Fact]
    public void AkkaReadsTheValuesOfTheSectionAndNothingOutsideIt()
    {
        var akka = AkkaSection.From(Config.ParseString("""
            iscsi-cluster.node.name = n1
            akka {
              loglevel = DEBUG
              actor.my-dispatcher { type = Dispatcher, throughput = 64 }
              cluster.failure-detector.acceptable-heartbeat-pause = 2500ms
              remote.dot-netty.tcp { hostname = "127.0.0.2", port = 4053 }
            }
            """));
        Assert.Equal("DEBUG", akka.GetString("akka.loglevel"));
        Assert.Equal(64, akka.GetInt("akka.actor.my-dispatcher.throughput"));
        Assert.Equal(TimeSpan.FromMilliseconds(2500), akka.GetTimeSpan("akka.cluster.failure-detector.acceptable-heartbeat-pause"));
        Assert.Equal("127.0.0.2", akka.GetString("akka.remote.dot-netty.tcp.hostname"));
        Assert.Equal(4053, akka.GetInt("akka.remote.dot-netty.tcp.port"));
        Assert.False(akka.HasPath("iscsi-cluster"));
    }

    [Fact]
    public void SubstitutionsAppendsAndOptionalEnvironmentValuesReachAkkaResolved()
    {
        // Akka 1.5's own parser ignores +=, resolves ${?X} to nothing and loops on self-references;
        // here Akka only ever sees their results.
        var akka = AkkaSection.From(Config.ParseString("""
            common { host = "127.0.0.3", seeds = ["akka.tcp://iscsi-cluster@127.0.0.1:4053"] }
            akka {
              remote.dot-netty.tcp.hostname = ${common.host}
              cluster.seed-nodes = ${common.seeds}
              cluster.seed-nodes += "akka.tcp://iscsi-cluster@127.0.0.2:4053"
              cluster.roles = [a]
              cluster.roles = ${akka.cluster.roles} [b]
              home = ${?ISCSI_CLUSTER_SURELY_UNSET_VARIABLE}
            }
            """));
        Assert.Equal("127.0.0.3", akka.GetString("akka.remote.dot-netty.tcp.hostname"));
        Assert.Equal(
            ["akka.tcp://iscsi-cluster@127.0.0.1:4053", "akka.tcp://iscsi-cluster@127.0.0.2:4053"],
            akka.GetStringList("akka.cluster.seed-nodes"));
        Assert.Equal(["a", "b"], akka.GetStringList("akka.cluster.roles"));
        Assert.False(akka.HasPath("akka.home"));
    }

    [Fact]
    public void KeysThatAreTypeNamesKeepTheirDotsAndCommas()
    {
        var akka = AkkaSection.From(Config.ParseString("""
            akka.actor {
              serializers { data = "IscsiCluster.Cluster.DataSerializer, IscsiCluster.Cluster" }
              serialization-bindings { "IscsiCluster.Cluster.IDataMessage, IscsiCluster.Cluster" = data }
              deployment { "/user/sessions" { dispatcher = my-dispatcher } }
            }
            """));
        Assert.Equal("IscsiCluster.Cluster.DataSerializer, IscsiCluster.Cluster", akka.GetString("akka.actor.serializers.data"));
        var bindings = akka.GetConfig("akka.actor.serialization-bindings").AsEnumerable().ToList();
        var binding = Assert.Single(bindings);
        Assert.Equal("IscsiCluster.Cluster.IDataMessage, IscsiCluster.Cluster", binding.Key);
        Assert.Equal("data", binding.Value.GetString());
        Assert.Equal("my-dispatcher", akka.GetString("akka.actor.deployment.\"/user/sessions\".dispatcher"));
    }

    [Fact]
    public void StringsNeedingEscapesSurviveTheTrip()
    {
        var akka = AkkaSection.From(Config.ParseString("""akka.test.text = "quote \" backslash \\ newline\n tab\t end" """));
        Assert.Equal("quote \" backslash \\ newline\n tab\t end", akka.GetString("akka.test.text"));
    }

    [Fact]
    public void AnAkkaValueThatIsNotAnObjectIsAConfigErrorNamingIt()
    {
        var error = Assert.Throws<ConfigException>(() => AkkaSection.From(Config.ParseString("akka = 5", "node.conf")));
        Assert.Contains("node.conf", error.Message, StringComparison.Ordinal);
        Assert.Contains("akka", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnresolvableSubstitutionInTheAkkaSectionIsAConfigErrorNamingItsOrigin()
    {
        var error = Assert.Throws<ConfigException>(() => AkkaSection.From(Config.ParseString("akka.loglevel = ${nowhere}", "node.conf")));
        Assert.Contains("node.conf:1", error.Message, StringComparison.Ordinal);
        Assert.Contains("nowhere", error.Message, StringComparison.Ordinal);
    }
}
