using IscsiCluster.Admin.Contracts.Editing;
using IscsiCluster.Admin.Contracts.Model;
using IscsiCluster.Admin.Contracts.Protocol;

namespace IscsiCluster.Admin.Tests.TestSupport;

/// <summary>Shorthands for editor tests.</summary>
internal static class Edit
{
    public static EditResult Apply(ClusterConfiguration configuration, AdmRequest request, EditContext? context = null) =>
        ConfigurationEditor.Apply(configuration, request, context ?? EditContext.Idle);

    /// <summary>Applies requests in order, failing the test on the first refusal.</summary>
    public static ClusterConfiguration ApplyAll(ClusterConfiguration configuration, params AdmRequest[] requests)
    {
        foreach (var request in requests)
        {
            var result = Apply(configuration, request);
            Assert.True(result.Succeeded, $"{request}: {result.Error} {result.Detail}");
            configuration = result.Configuration;
        }

        return configuration;
    }

    public static AdmRequest Target(AdmOp op, int? tid = 1) => new(AdmMode.Target, op) { Tid = tid };

    public static AdmRequest NewTarget(int tid = 1, string name = Samples.TargetName) => Target(AdmOp.New, tid) with { TargetName = name };

    public static AdmRequest NewThinLun(int tid = 1, ulong lun = 1, string size = "1G") =>
        new(AdmMode.LogicalUnit, AdmOp.New) { Tid = tid, Lun = lun, BsOpts = $"size={size}" };

    public static AdmRequest NewAccount(string user, string password = "secret-1234") =>
        new(AdmMode.Account, AdmOp.New) { User = user, Password = password };

    public static AdmRequest Account(AdmOp op, string user, int? tid = 1, bool outgoing = false) =>
        new(AdmMode.Account, op) { User = user, Tid = tid, Outgoing = outgoing };

    /// <summary>Asserts a refusal that leaves the configuration as it was.</summary>
    public static void Refused(AdmError expected, EditResult result, ClusterConfiguration before)
    {
        Assert.Equal(expected, result.Error);
        Assert.False(result.Changed);
        Assert.Same(before, result.Configuration);
    }
}
