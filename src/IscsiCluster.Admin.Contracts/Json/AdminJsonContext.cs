using System.Text.Json.Serialization;
using IscsiCluster.Admin.Contracts.Model;
using IscsiCluster.Admin.Contracts.Protocol;

namespace IscsiCluster.Admin.Contracts.Json;

/// <summary>Source-generated JSON for persistence and the wire: camelCase, enums as names, nulls left out.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    RespectNullableAnnotations = true,
    WriteIndented = false)]
[JsonSerializable(typeof(ClusterConfiguration))]
[JsonSerializable(typeof(AdmRequest))]
[JsonSerializable(typeof(AdmResponse))]
[JsonSerializable(typeof(AdmServerFrame))]
[JsonSerializable(typeof(AdmPayload))]
public sealed partial class AdminJsonContext : JsonSerializerContext;
