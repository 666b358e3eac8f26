using IscsiCluster.Admin.Contracts.Protocol;

namespace IscsiCluster.Admin.TargetsConf;

/// <summary>One request an --execute sends, with the targets.conf line it comes from.</summary>
internal sealed record PlannedStep(AdmRequest Request, int Line);

/// <summary>The requests that apply a targets.conf, and what the file asks for that is not served here.</summary>
internal sealed record ExecutionPlan(IReadOnlyList<PlannedStep> Steps, IReadOnlyList<string> Warnings, bool IgnoreErrors);
