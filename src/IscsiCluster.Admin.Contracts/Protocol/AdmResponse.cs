namespace IscsiCluster.Admin.Contracts.Protocol;

/// <summary>A node's answer to one request: an error code from <see cref="AdmErrors"/> and, on success, a payload.</summary>
/// <param name="Error">Success, or why the request was refused.</param>
/// <param name="Detail">Facts that help the administrator act (e.g. "target 1 has 2 sessions"), never a secret.</param>
/// <param name="Payload">Show and stat data; null for requests that only change the configuration.</param>
public sealed record AdmResponse(AdmError Error, string? Detail = null, AdmPayload? Payload = null)
{
    public bool Succeeded => Error == AdmError.Success;

    public static AdmResponse Ok(AdmPayload? payload = null) => new(AdmError.Success, null, payload);

    public static AdmResponse Failure(AdmError error, string? detail = null) => new(error, detail);
}

/// <summary>
/// One line a server writes: zero or more progress frames, then exactly one response frame.
/// </summary>
public sealed record AdmServerFrame(AdmProgress? Progress = null, AdmResponse? Response = null);
