using IscsiCluster.Admin.Contracts.Model;
using IscsiCluster.Admin.Contracts.Protocol;
using static IscsiCluster.Admin.Tests.TestSupport.Edit;

namespace IscsiCluster.Admin.Tests.Editing;

public class LiveModeTests
{
    private static readonly ClusterConfiguration OneTarget = ApplyAll(ClusterConfiguration.Empty, NewTarget());

    [Theory]
    [InlineData(AdmMode.Session)]
    [InlineData(AdmMode.Connection)]
    public void ShowAndStatAreReadOnlyAndRefuseAnUnknownTarget(AdmMode mode)
    {
        Assert.False(Apply(OneTarget, new AdmRequest(mode, AdmOp.Show)).Changed);
        Assert.True(Apply(OneTarget, new AdmRequest(mode, AdmOp.Stat) { Tid = 1 }).Succeeded);
        Refused(AdmError.NoTarget, Apply(OneTarget, new AdmRequest(mode, AdmOp.Show) { Tid = 2 }), OneTarget);
    }

    [Fact]
    public void SessionDeleteNeedsATargetAndASid()
    {
        Assert.True(Apply(OneTarget, new AdmRequest(AdmMode.Session, AdmOp.Delete) { Tid = 1, Sid = 3 }).Succeeded);
        Refused(AdmError.InvalidRequest, Apply(OneTarget, new AdmRequest(AdmMode.Session, AdmOp.Delete) { Tid = 1 }), OneTarget);
        Refused(AdmError.NoTarget, Apply(OneTarget, new AdmRequest(AdmMode.Session, AdmOp.Delete) { Tid = 2, Sid = 3 }), OneTarget);
    }

    [Fact]
    public void ConnectionDeleteNeedsATargetASidAndACid()
    {
        var request = new AdmRequest(AdmMode.Connection, AdmOp.Delete) { Tid = 1, Sid = 3, Cid = 0 };
        Assert.False(Apply(OneTarget, request).Changed);
        Assert.True(Apply(OneTarget, request).Succeeded);
        Refused(AdmError.InvalidRequest, Apply(OneTarget, request with { Cid = null }), OneTarget);
        Refused(AdmError.InvalidRequest, Apply(OneTarget, request with { Tid = null }), OneTarget);
    }
}
