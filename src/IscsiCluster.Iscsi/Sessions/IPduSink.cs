using IscsiCluster.Iscsi.Protocol.Pdus;

namespace IscsiCluster.Iscsi.Sessions;

/// <summary>
/// Where a session sends its PDUs: the connection's outbox. Every call returns at once (the
/// actor never waits for a socket); a writer behind it batches PDUs into few flushes.
/// </summary>
internal interface IPduSink
{
    /// <summary>Queues a PDU; PDUs are written in the order they are queued.</summary>
    void Send(IscsiPdu pdu);

    /// <summary>
    /// Runs <paramref name="action"/> once every PDU queued before it has been encoded into the
    /// connection's buffers, so a buffer those PDUs' data lies in can be reused. If the
    /// connection ends first, the action never runs.
    /// </summary>
    void AfterQueued(Action action);

    /// <summary>
    /// Holds back writing until <see cref="Push"/>: what is sent meanwhile is only queued, and
    /// leaves with one flush (one send for many answers). The caller pushes soon after.
    /// </summary>
    void Hold();

    /// <summary>Ends a <see cref="Hold"/>: writes what is queued.</summary>
    void Push();

    /// <summary>Writes what is queued, then closes the connection.</summary>
    void Close();

    /// <summary>Closes the connection at once, dropping what is queued.</summary>
    void Abort();

    /// <summary>
    /// Reports that the session has handled a PDU its connection read: the connection reads no
    /// more while too many handed-over PDUs are waiting in the session's mailbox.
    /// </summary>
    void Consumed(IscsiPdu pdu);
}
