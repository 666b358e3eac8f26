global using IscsiCluster.Actors.TestKit;
