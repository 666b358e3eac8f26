using System.Buffers;

namespace IscsiCluster.Admin.Contracts.Protocol;

/// <summary>
/// The framing of the management protocol: one JSON document per line ('\n'), one request per connection.
/// The client writes a request line; the server writes progress lines and then one response line.
/// </summary>
public static class JsonLines
{
    /// <summary>A request is small; anything longer is refused before it is buffered.</summary>
    public const int MaxRequestBytes = 64 * 1024;

    /// <summary>A response carries a whole configuration; this bounds what a client buffers.</summary>
    public const int MaxResponseBytes = 64 * 1024 * 1024;

    private const byte LineFeed = (byte)'\n';

    public static async ValueTask WriteLineAsync(Stream stream, byte[] json, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(json, cancellationToken);
        await stream.WriteAsync(new[] { LineFeed }, cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    /// <summary>Reads one line without its '\n'; null at end of stream before any byte.</summary>
    /// <exception cref="InvalidDataException">The line exceeds <paramref name="maxBytes"/>, or the stream ends inside it.</exception>
    public static async ValueTask<byte[]?> ReadLineAsync(Stream stream, int maxBytes, CancellationToken cancellationToken)
    {
        var line = new ArrayBufferWriter<byte>();
        var one = new byte[1];
        while (true)
        {
            var read = await stream.ReadAsync(one, cancellationToken);
            if (read == 0)
            {
                if (line.WrittenCount == 0)
                {
                    return null;
                }

                throw new InvalidDataException("the stream ended inside a line");
            }

            if (one[0] == LineFeed)
            {
                return line.WrittenSpan.ToArray();
            }

            if (line.WrittenCount >= maxBytes)
            {
                throw new InvalidDataException($"a line is longer than {maxBytes} bytes");
            }

            line.Write(one);
        }
    }
}
