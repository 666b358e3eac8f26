namespace IscsiCluster.Scsi.Copy;

/// <summary>What the copy manager accepts in one EXTENDED COPY (reported by RECEIVE COPY RESULTS, SPC-4 6.18.4).</summary>
internal sealed record CopyLimits(int MaximumTargetDescriptors, int MaximumSegmentDescriptors, int MaximumDescriptorListLength)
{
    /// <summary>A few CSCD and segment descriptors, in lists that fit in one kibibyte.</summary>
    public static CopyLimits Default { get; } = new(4, 16, 1024);
}
