using System.Collections.Concurrent;
using System.Text.Json;
using Akka.Actor;
using System.Runtime.Serialization;
using Akka.Serialization;

namespace IscsiCluster.Cluster;

/// <summary>
/// Marks the product's own messages that cross nodes through Akka.Remote (sharding wake-ups, configuration, owner
/// announcements, status): small control records of plain data, never block data, which travels on the data connections.
/// </summary>
public interface IClusterMessage;

/// <summary>
/// Akka.NET serializer of every <see cref="IClusterMessage"/>: JSON of the record, its type named in the manifest. Only
/// types that implement the marker are ever instantiated from a manifest, so a peer cannot make this node build
/// anything else. (Akka's default for unknown types is Newtonsoft JSON with type names in the payload.)
/// </summary>
public sealed class ClusterMessageSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    private static readonly JsonSerializerOptions Options = new() { IncludeFields = false };
    private static readonly ConcurrentDictionary<string, Type> Types = new(StringComparer.Ordinal);

    /// <summary>The identifier the product's reference.conf binds this serializer to.</summary>
    public override int Identifier => 4711;

    public override byte[] ToBinary(object obj) => JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), Options);

    public override object FromBinary(byte[] bytes, string manifest)
    {
        var type = Types.GetOrAdd(manifest, static name =>
        {
            var found = Type.GetType(name, throwOnError: false);
            return found is not null && typeof(IClusterMessage).IsAssignableFrom(found)
                ? found
                : throw new SerializationException($"'{name}' is not a cluster message of this product");
        });
        return JsonSerializer.Deserialize(bytes, type, Options) ?? throw new SerializationException($"an empty {manifest}");
    }

    public override string Manifest(object o) => $"{o.GetType().FullName}, {o.GetType().Assembly.GetName().Name}";
}
