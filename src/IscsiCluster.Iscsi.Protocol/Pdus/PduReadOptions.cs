namespace IscsiCluster.Iscsi.Protocol.Pdus;

/// <summary>
/// What the reader must expect and refuse on one connection. <c>default</c> and <c>new()</c> both
/// give the login-phase values: no digests, 8192-byte data segments, 256 bytes of AHS.
/// </summary>
public readonly record struct PduReadOptions
{
    /// <summary>RFC 7143 13.12: the default MaxRecvDataSegmentLength, also the limit during login.</summary>
    public const int DefaultMaxRecvDataSegmentLength = 8192;

    /// <summary>Room for an Extended CDB AHS of a 260-byte CDB plus a bidirectional-length AHS.</summary>
    public const int DefaultMaxAdditionalHeaderLength = 256;

    private readonly int _maxRecvDataSegmentLength;
    private readonly int _maxAdditionalHeaderLength;

    /// <summary>HeaderDigest=CRC32C was negotiated.</summary>
    public bool HeaderDigest { get; init; }

    /// <summary>DataDigest=CRC32C was negotiated.</summary>
    public bool DataDigest { get; init; }

    /// <summary>
    /// The receive limit we declared; a longer data segment is refused before it is awaited.
    /// Zero (the unset value) means <see cref="DefaultMaxRecvDataSegmentLength"/>.
    /// </summary>
    public int MaxRecvDataSegmentLength
    {
        get => _maxRecvDataSegmentLength > 0 ? _maxRecvDataSegmentLength : DefaultMaxRecvDataSegmentLength;
        init => _maxRecvDataSegmentLength = value;
    }

    /// <summary>The longest TotalAHSLength (in bytes) accepted; zero means <see cref="DefaultMaxAdditionalHeaderLength"/>.</summary>
    public int MaxAdditionalHeaderLength
    {
        get => _maxAdditionalHeaderLength > 0 ? _maxAdditionalHeaderLength : DefaultMaxAdditionalHeaderLength;
        init => _maxAdditionalHeaderLength = value;
    }
}

/// <summary>Which digests the writer appends.</summary>
public readonly record struct PduWriteOptions(bool HeaderDigest, bool DataDigest);
