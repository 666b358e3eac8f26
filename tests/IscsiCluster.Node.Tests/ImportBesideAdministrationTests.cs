using Akka.Actor;
using IscsiCluster.Admin.Contracts.Protocol;
using IscsiCluster.Admin.Server;
using IscsiCluster.Node.Administration;
using IscsiCluster.Node.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace IscsiCluster.Node.Tests;

/// <summary>
/// Importing a backing store (<c>--op new --mode logicalunit -b PATH</c>) runs beside the node's other administration:
/// while an import is held mid-way (at its Import_BeforeChunk point), <c>show</c> and edits of other objects are
/// answered, and edits of the LUN being imported are refused with a message saying why, until the import ends.
/// </summary>
public sealed class ImportBesideAdministrationTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ShowAndOtherEditsAreAnsweredWhileAnImportIsHeldAndEditsOfItsLunAreRefusedUntilItEnds()
    {
        using var files = new TemporaryFiles();
        await using var node = await TestNode.StartAsync();
        var chunk = node.Host.Services.GetRequiredService<AdminSettings>().ImportChunkSize;
        var backingStore = files.Random("held.img", 3 * chunk, seed: 15);
        var importer = node.Host.Services.GetRequiredService<LunImporter>();
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        importer.BeforeChunk = async (offset, cancellationToken) =>
        {
            if (offset > 0)
            {
                held.TrySetResult();
                await release.Task.WaitAsync(cancellationToken);
            }
        };

        // The import goes to the node's configuration actor the way the management endpoint sends it.
        var configuration = await node.Host.ActorSystem.ActorSelection("/user/configuration").ResolveOne(Patience);
        var import = new AdmRequest(AdmMode.LogicalUnit, AdmOp.New) { Tid = 1, Lun = 2, BackingStore = backingStore };
        var imported = configuration.Ask<AdmResponse>(new ConfigurationActor.Apply(import, new NoProgress(), CancellationToken.None), TimeSpan.FromMinutes(2));
        await held.Task.WaitAsync(Patience);

        try
        {
            var show = await AdminCli.RunAsync(node.AdminSocket, "--op", "show", "--mode", "target").WaitAsync(Patience);
            Assert.True(show.ExitCode == 0, show.All);
            Assert.Matches(@"LUN: 2\s+Type: disk", show.Output);

            var other = await AdminCli.RunAsync(node.AdminSocket, "--op", "new", "--mode", "target", "--tid", "2", "-T", "iqn.2026-12.test:beside").WaitAsync(Patience);
            Assert.True(other.ExitCode == 0, other.All);

            var update = await AdminCli.RunAsync(node.AdminSocket, "--op", "update", "--mode", "logicalunit", "--tid", "1", "--lun", "2", "--params", "size=16M").WaitAsync(Patience);
            var delete = await AdminCli.RunAsync(node.AdminSocket, "--op", "delete", "--mode", "logicalunit", "--tid", "1", "--lun", "2").WaitAsync(Patience);
            var deleteTarget = await AdminCli.RunAsync(node.AdminSocket, "--op", "delete", "--mode", "target", "--tid", "1", "--force").WaitAsync(Patience);
            foreach (var refused in new[] { update, delete, deleteTarget })
            {
                Assert.Equal(AdmErrors.InvalidArgumentExitCode, refused.ExitCode);
                Assert.Contains("being imported", refused.All, StringComparison.Ordinal);
            }

            Assert.False(imported.IsCompleted, "the import ended while it was held");
        }
        finally
        {
            // Released even when an assertion failed, so the node can stop.
            release.TrySetResult();
        }

        var answer = await imported;
        Assert.True(answer.Succeeded, answer.Detail);

        // Once imported the LUN is an ordinary one again: it can be deleted.
        await AdminCli.MustRunAsync(node.AdminSocket, "--op delete --mode logicalunit --tid 1 --lun 2");
    }

    private sealed class NoProgress : IAdminProgress
    {
        public ValueTask ReportAsync(AdmProgress progress, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
