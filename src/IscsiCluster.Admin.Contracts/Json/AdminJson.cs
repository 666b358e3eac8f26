using System.Text.Json;
using IscsiCluster.Admin.Contracts.Model;
using IscsiCluster.Admin.Contracts.Protocol;

namespace IscsiCluster.Admin.Contracts.Json;

/// <summary>Compact JSON of the configuration (what the node persists) and of the protocol messages.</summary>
public static class AdminJson
{
    public static string Serialize(ClusterConfiguration configuration) =>
        JsonSerializer.Serialize(configuration, AdminJsonContext.Default.ClusterConfiguration);

    /// <exception cref="JsonException">The text is not a complete configuration document.</exception>
    public static ClusterConfiguration DeserializeConfiguration(string json)
    {
        // Explicit nulls are refused by RespectNullableAnnotations; absent lists would still arrive as null.
        var configuration = JsonSerializer.Deserialize(json, AdminJsonContext.Default.ClusterConfiguration);
        if (configuration?.Targets is null || configuration.Accounts is null || configuration.DiscoveryIncomingUsers is null
            || configuration.Targets.Any(t => t?.Name is null || t.Luns is null || t.InitiatorAddresses is null || t.InitiatorNames is null
                || t.IncomingUsers is null || t.Luns.Any(l => l?.BackingStoreDescription is null || l.BsType is null))
            || configuration.Accounts.Any(a => a?.User is null || a.Password is null))
        {
            throw new JsonException("the configuration document lacks required fields");
        }

        return configuration;
    }

    public static byte[] SerializeToUtf8(AdmRequest request) =>
        JsonSerializer.SerializeToUtf8Bytes(request, AdminJsonContext.Default.AdmRequest);

    public static byte[] SerializeToUtf8(AdmServerFrame frame) =>
        JsonSerializer.SerializeToUtf8Bytes(frame, AdminJsonContext.Default.AdmServerFrame);

    public static bool TryDeserializeRequest(ReadOnlySpan<byte> utf8, out AdmRequest request)
    {
        try
        {
            request = JsonSerializer.Deserialize(utf8, AdminJsonContext.Default.AdmRequest)!;
            return request is not null;
        }
        catch (JsonException)
        {
            request = null!;
            return false;
        }
    }

    public static bool TryDeserializeFrame(ReadOnlySpan<byte> utf8, out AdmServerFrame frame)
    {
        try
        {
            frame = JsonSerializer.Deserialize(utf8, AdminJsonContext.Default.AdmServerFrame)!;
            return frame is not null;
        }
        catch (JsonException)
        {
            frame = null!;
            return false;
        }
    }

    /// <summary>Indented JSON of a show payload, for <c>--output json</c>.</summary>
    public static string SerializeIndented(AdmPayload payload) =>
        JsonSerializer.Serialize(payload, IndentedContext.AdmPayload);

    /// <summary>Indented JSON of a response, for <c>--output json</c>.</summary>
    public static string SerializeIndented(AdmResponse response) =>
        JsonSerializer.Serialize(response, IndentedContext.AdmResponse);

    private static readonly AdminJsonContext IndentedContext = new(new JsonSerializerOptions(AdminJsonContext.Default.Options) { WriteIndented = true });
}
