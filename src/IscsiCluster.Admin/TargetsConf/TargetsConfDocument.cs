namespace IscsiCluster.Admin.TargetsConf;

/// <summary>One "key value" line of a targets.conf, with its line number for messages.</summary>
internal sealed record ConfDirective(string Key, string Value, int Line);

/// <summary>A &lt;backing-store PATH&gt; or &lt;direct-store PATH&gt; block, or a one-line store directive (no directives).</summary>
internal sealed record ConfStore(string Kind, string Path, IReadOnlyList<ConfDirective> Directives, int Line);

/// <summary>A &lt;target NAME&gt; block.</summary>
internal sealed record ConfTarget(string Name, IReadOnlyList<ConfDirective> Directives, IReadOnlyList<ConfStore> Stores, int Line);

/// <summary>A parsed targets.conf (tgt-admin's format, read by Config::General): global directives and target blocks.</summary>
internal sealed record TargetsConfDocument(IReadOnlyList<ConfDirective> Globals, IReadOnlyList<ConfTarget> Targets);
