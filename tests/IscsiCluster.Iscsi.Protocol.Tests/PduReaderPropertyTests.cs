using System.Buffers;
using FsCheck;
using FsCheck.Fluent;
using IscsiCluster.Iscsi.Protocol.Pdus;

namespace IscsiCluster.Iscsi.Protocol.Tests;

public class PduReaderPropertyTests
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(500);

    private static readonly PduWriteOptions[] DigestChoices = PduSamples.DigestCombinations.ToArray();

    [Fact]
    public void RandomBytesNeverMakeTheReaderThrow()
    {
        var bytes = Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b)).Resize(400);
        var digests = Gen.Elements(DigestChoices);

        Check.One(Runs, Prop.ForAll(bytes.ToArbitrary(), digests.ToArbitrary(), (input, options) => ReadAllNeverThrows(input, options)));
    }

    [Fact]
    public void MutatedValidPdusNeverMakeTheReaderThrow()
    {
        var mutated =
            from sample in Gen.Choose(0, PduSamples.All.Count - 1)
            from options in Gen.Elements(DigestChoices)
            from flips in Gen.ListOf(Gen.Zip(Gen.Choose(0, 5000), Gen.Choose(0, 255)))
            from cut in Gen.Choose(0, 6000)
            select (Bytes: Mutate(PduWriter.ToArray(PduSamples.All[sample], options), flips, cut), Options: options);

        Check.One(Runs, Prop.ForAll(mutated.ToArbitrary(), input => ReadAllNeverThrows(input.Bytes, input.Options)));
    }

    /// <summary>Reads until the buffer is exhausted or the connection must close; every outcome must be consistent.</summary>
    private static bool ReadAllNeverThrows(byte[] input, PduWriteOptions digests)
    {
        var options = PduSamples.ReadOptionsFor(digests);
        var buffer = SequenceFactory.Split(input, input.Length / 3, input.Length / 2);
        while (true)
        {
            var before = buffer.Length;
            var status = PduReader.TryReadPdu(ref buffer, options, out var pdu, out var error);
            switch (status)
            {
                case PduReadStatus.Incomplete:
                    return buffer.Length == before && pdu is null && error is null;
                case PduReadStatus.Complete when pdu is null || buffer.Length >= before:
                    return false;
                case PduReadStatus.Error when error is null:
                    return false;
                case PduReadStatus.Error when error.ConnectionMustClose:
                    return buffer.Length == before;
                case PduReadStatus.Error when buffer.Length >= before:
                    return false;
            }
        }
    }

    private static byte[] Mutate(byte[] bytes, IEnumerable<(int Position, int Value)> flips, int cut)
    {
        foreach (var (position, value) in flips)
        {
            bytes[position % bytes.Length] = (byte)value;
        }

        return bytes[..Math.Min(bytes.Length, cut)];
    }
}
