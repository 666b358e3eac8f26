using System.Buffers.Binary;
using IscsiCluster.Scsi.Sam;
using IscsiCluster.Scsi.Tests.Support;

namespace IscsiCluster.Scsi.Tests;

public class PersistentReserveRegisterTests
{
    private readonly DiskUnit _unit;

    public PersistentReserveRegisterTests()
    {
        (_unit, _) = Harness.NewDisk();
        Harness.ClearPowerOn(_unit, Pr.A);
        Harness.ClearPowerOn(_unit, Pr.B);
        Harness.ClearPowerOn(_unit, Pr.C);
    }

    [Fact]
    public void ReadKeysOfAFreshUnitIsEmptyWithGenerationZero()
    {
        var (generation, keys) = Pr.ReadKeys(_unit, Pr.A);

        Assert.Equal(0u, generation);
        Assert.Empty(keys);
    }

    [Fact]
    public void RegisterAddsAKeyAndBumpsTheGeneration()
    {
        Harness.AssertGood(Pr.Out(_unit, Pr.A, Pr.Register, Pr.List(0, 0xAAAA)));
        Harness.AssertGood(Pr.Out(_unit, Pr.B, Pr.Register, Pr.List(0, 0xBBBB)));

        Pr.AssertKeys(_unit, Pr.C, 2, 0xAAAA, 0xBBBB);
    }

    [Fact]
    public void RegisterWithAKeyFromAnUnregisteredNexusIsAConflict()
    {
        Pr.AssertConflict(Pr.Out(_unit, Pr.A, Pr.Register, Pr.List(0x1234, 0xAAAA)));

        Assert.Empty(Pr.ReadKeys(_unit, Pr.A).Keys);
    }

    [Theory]
    [InlineData(0xAAABUL)]
    [InlineData(0UL)]                                     // libiscsi's "re-register fails"
    public void RegisterWithTheWrongCurrentKeyIsAConflict(ulong currentKey)
    {
        Pr.RegisterKey(_unit, Pr.A, 0xAAAA);

        Pr.AssertConflict(Pr.Out(_unit, Pr.A, Pr.Register, Pr.List(currentKey, 0xCCCC)));
        Assert.Equal([0xAAAAUL], Pr.ReadKeys(_unit, Pr.A).Keys);
    }

    [Fact]
    public void RegisterWithTheCurrentKeyChangesIt()
    {
        Pr.RegisterKey(_unit, Pr.A, 0xAAAA);

        Harness.AssertGood(Pr.Out(_unit, Pr.A, Pr.Register, Pr.List(0xAAAA, 0xCCCC)));

        Pr.AssertKeys(_unit, Pr.A, 2, 0xCCCC);
    }

    [Fact]
    public void RegisterWithServiceActionKeyZeroUnregisters()
    {
        Pr.RegisterKey(_unit, Pr.A, 0xAAAA);
        Pr.RegisterKey(_unit, Pr.B, 0xBBBB);

        Harness.AssertGood(Pr.Out(_unit, Pr.A, Pr.Register, Pr.List(0xAAAA, 0)));

        Pr.AssertKeys(_unit, Pr.A, 3, 0xBBBB);
    }

    [Fact]
    public void UnregisteringAnUnregisteredNexusChangesNothing()
    {
        Harness.AssertGood(Pr.Out(_unit, Pr.A, Pr.Register, Pr.List(0, 0)));

        Assert.Equal(0u, Pr.ReadKeys(_unit, Pr.A).Generation);
    }

    [Fact]
    public void RegisterAndIgnoreExistingKeyReplacesWhateverKeyWasThere()
    {
        Pr.RegisterKey(_unit, Pr.A, 0xAAAA);

        Harness.AssertGood(Pr.Out(_unit, Pr.A, Pr.RegisterAndIgnore, Pr.List(0x9999, 0xDDDD)));

        Assert.Equal([0xDDDDUL], Pr.ReadKeys(_unit, Pr.A).Keys);
    }

    [Fact]
    public void TheSameInitiatorThroughAnotherTargetPortIsNotRegistered()
    {
        Pr.RegisterKey(_unit, Pr.A, 0xAAAA);
        var otherPort = Pr.A with { RelativeTargetPortId = 2 };
        Harness.ClearPowerOn(_unit, otherPort);

        Pr.AssertConflict(Pr.Out(_unit, otherPort, Pr.Reserve, Pr.List(0xAAAA), Pr.WriteExclusive));
    }

    [Fact]
    public void AllTargetPortsRegistersTheInitiatorPortThroughEveryTargetPort()
    {
        Pr.RegisterKey(_unit, Pr.A, 0xAAAA, Pr.AllTgPt);
        var otherPort = Pr.A with { RelativeTargetPortId = 9 };
        Harness.ClearPowerOn(_unit, otherPort);

        Pr.ReserveAs(_unit, otherPort, 0xAAAA, Pr.WriteExclusive);

        Assert.Equal((0xAAAAUL, Pr.WriteExclusive), Pr.ReadReservation(_unit, Pr.A));
    }

    [Fact]
    public void SpecifyInitiatorPortsRegistersTheListedPortsThroughThisTargetPort()
    {
        var tail = Pr.SpecIPtTail(Pr.TransportId(Pr.B.InitiatorPortName), Pr.TransportId(Pr.C.InitiatorPortName));

        Harness.AssertGood(Pr.Out(_unit, Pr.A, Pr.Register, Pr.List(0, 0xAAAA, Pr.SpecIPt, tail)));

        Pr.AssertKeys(_unit, Pr.A, 1, 0xAAAA, 0xAAAA, 0xAAAA);
        Pr.ReserveAs(_unit, Pr.C, 0xAAAA, Pr.ExclusiveAccess);
        Assert.Equal((0xAAAAUL, Pr.ExclusiveAccess), Pr.ReadReservation(_unit, Pr.B));
    }

    [Fact]
    public void SpecifyInitiatorPortsNamingAnAlreadyRegisteredPortRegistersNothing()
    {
        Pr.RegisterKey(_unit, Pr.C, 0xCCCC);
        var tail = Pr.SpecIPtTail(Pr.TransportId(Pr.B.InitiatorPortName), Pr.TransportId(Pr.C.InitiatorPortName));

        Pr.AssertConflict(Pr.Out(_unit, Pr.A, Pr.Register, Pr.List(0, 0xAAAA, Pr.SpecIPt, tail)));

        Assert.Equal([0xCCCCUL], Pr.ReadKeys(_unit, Pr.A).Keys);
    }

    [Fact]
    public void SpecifyInitiatorPortsWithAMalformedTransportIdIsInvalidFieldInParameterList()
    {
        var bad = Pr.TransportId(Pr.B.InitiatorPortName);
        bad[0] = 0x05;                                    // format 00b: an initiator device, not a port
        var answer = Pr.Out(_unit, Pr.A, Pr.Register, Pr.List(0, 0xAAAA, Pr.SpecIPt, Pr.SpecIPtTail(bad)));

        AssertInvalidParameter(answer, 28);
        Assert.Empty(Pr.ReadKeys(_unit, Pr.A).Keys);
    }

    [Fact]
    public void SpecifyInitiatorPortsWithAnotherProtocolIsInvalidFieldInParameterList()
    {
        var fibreChannel = new byte[24];
        AssertInvalidParameter(Pr.Out(_unit, Pr.A, Pr.Register, Pr.List(0, 0xAAAA, Pr.SpecIPt, Pr.SpecIPtTail(fibreChannel))), 28);
    }

    [Fact]
    public void SpecifyInitiatorPortsWithoutTheIsidSeparatorIsInvalidFieldInParameterList()
    {
        var answer = Pr.Out(_unit, Pr.A, Pr.Register, Pr.List(0, 0xAAAA, Pr.SpecIPt, Pr.SpecIPtTail(Pr.TransportId("iqn.2026-01.test:b"))));

        AssertInvalidParameter(answer, 32);
    }

    [Fact]
    public void SpecifyInitiatorPortsFromARegisteredNexusIsInvalidFieldInParameterList()
    {
        Pr.RegisterKey(_unit, Pr.A, 0xAAAA);

        var answer = Pr.Out(_unit, Pr.A, Pr.Register, Pr.List(0xAAAA, 0xAAAA, Pr.SpecIPt, Pr.SpecIPtTail(Pr.TransportId(Pr.B.InitiatorPortName))));

        AssertInvalidParameter(answer, 20);
    }

    [Fact]
    public void SpecifyInitiatorPortsWithRegisterAndIgnoreExistingKeyIsInvalidFieldInParameterList()
    {
        var answer = Pr.Out(_unit, Pr.A, Pr.RegisterAndIgnore, Pr.List(0, 0xAAAA, Pr.SpecIPt, Pr.SpecIPtTail(Pr.TransportId(Pr.B.InitiatorPortName))));

        AssertInvalidParameter(answer, 20);
    }

    [Fact]
    public void SpecifyInitiatorPortsWithTransportIdsPastTheListIsParameterListLengthError()
    {
        var list = Pr.List(0, 0xAAAA, Pr.SpecIPt, Pr.SpecIPtTail(Pr.TransportId(Pr.B.InitiatorPortName)));
        BinaryPrimitives.WriteUInt32BigEndian(list.AsSpan(24), 100);

        Harness.AssertSense(Pr.Out(_unit, Pr.A, Pr.Register, list), 0x5, 0x1A, 0x00);
    }

    [Theory]
    [InlineData(Pr.Register, 0)]
    [InlineData(Pr.Register, 23)]
    [InlineData(Pr.Register, 25)]
    [InlineData(Pr.Reserve, 32)]
    [InlineData(Pr.Clear, 16)]
    [InlineData(Pr.RegisterAndMove, 8)]
    public void ParameterListOfTheWrongLengthIsParameterListLengthError(byte serviceAction, int length)
    {
        var list = new byte[length];

        Harness.AssertSense(Harness.Run(_unit, Pr.OutCdb(serviceAction, Pr.WriteExclusive, (uint)length), list, nexus: Pr.A), 0x5, 0x1A, 0x00);
    }

    [Fact]
    public void DataOutShorterThanTheParameterListLengthIsInvalidFieldInCommandInformationUnit() =>
        Harness.AssertSense(Harness.Run(_unit, Pr.OutCdb(Pr.Register), new byte[10], nexus: Pr.A), 0x5, 0x0E, 0x03);

    [Fact]
    public void AptplWithoutAStateStoreIsInvalidFieldInParameterList() =>
        AssertInvalidParameter(Pr.Out(_unit, Pr.A, Pr.Register, Pr.List(0, 0xAAAA, Pr.Aptpl)), 20, 0);

    [Theory]
    [InlineData(0x8)]
    [InlineData(0x1F)]
    public void UnknownServiceActionIsInvalidFieldInCdb(byte serviceAction)
    {
        Harness.AssertInvalidField(Harness.Run(_unit, Pr.OutCdb(serviceAction), Pr.List(0), nexus: Pr.A), 1, 4);
        Harness.AssertInvalidField(Harness.Run(_unit, Pr.InCdb((byte)(serviceAction - 4)), nexus: Pr.A), 1, 4);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void EveryPersistentReserveInServiceActionAnswers(byte serviceAction) =>
        Harness.AssertGood(Harness.Run(_unit, Pr.InCdb(serviceAction), nexus: Pr.A));

    [Fact]
    public void ReadKeysIsCutToTheAllocationLengthButReportsTheFullLength()
    {
        Pr.RegisterKey(_unit, Pr.A, 0xAAAA);
        Pr.RegisterKey(_unit, Pr.B, 0xBBBB);

        var answer = Harness.Run(_unit, Pr.InCdb(0, allocation: 12), nexus: Pr.A);

        Harness.AssertGood(answer);
        Assert.Equal(12, answer.DataIn.Length);
        Assert.Equal(16u, BinaryPrimitives.ReadUInt32BigEndian(answer.DataIn.Span[4..]));
    }

    [Fact]
    public void ReportCapabilitiesDescribesWhatTheUnitSupports()
    {
        var answer = Harness.Run(_unit, Pr.InCdb(2), nexus: Pr.A);

        Harness.AssertGood(answer);
        // LENGTH 8; CRH, SIP_C, ATP_C, no PTPL_C (no store); TMV, ALLOW COMMANDS 001b, PTPL_A 0; every type.
        Assert.Equal([0x00, 0x08, 0x1C, 0x90, 0xEA, 0x01, 0x00, 0x00], answer.DataIn.ToArray());
    }

    [Fact]
    public void ReadFullStatusDescribesEachRegistrationWithItsTransportId()
    {
        Pr.RegisterKey(_unit, Pr.A, 0xAAAA);
        Pr.RegisterKey(_unit, Pr.B, 0xBBBB, Pr.AllTgPt);
        Pr.ReserveAs(_unit, Pr.A, 0xAAAA, Pr.ExclusiveAccessRegistrantsOnly);

        var answer = Harness.Run(_unit, Pr.InCdb(3), nexus: Pr.C);

        Harness.AssertGood(answer);
        var data = answer.DataIn.ToArray();
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32BigEndian(data));
        var idA = Pr.TransportId(Pr.A.InitiatorPortName);
        var idB = Pr.TransportId(Pr.B.InitiatorPortName);
        Assert.Equal((uint)(24 + idA.Length + 24 + idB.Length), BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(4)));

        var first = data.AsSpan(8);
        Assert.Equal(0xAAAAUL, BinaryPrimitives.ReadUInt64BigEndian(first));
        Assert.Equal(0x01, first[12]);                    // R_HOLDER
        Assert.Equal(Pr.ExclusiveAccessRegistrantsOnly, first[13]);
        Assert.Equal(Pr.A.RelativeTargetPortId, BinaryPrimitives.ReadUInt16BigEndian(first[18..]));
        Assert.Equal((uint)idA.Length, BinaryPrimitives.ReadUInt32BigEndian(first[20..]));
        Assert.Equal(idA, first.Slice(24, idA.Length).ToArray());

        var second = data.AsSpan(8 + 24 + idA.Length);
        Assert.Equal(0xBBBBUL, BinaryPrimitives.ReadUInt64BigEndian(second));
        Assert.Equal(0x02, second[12]);                   // ALL_TG_PT, not a holder
        Assert.Equal(0, second[13]);
        Assert.Equal(idB, second.Slice(24, idB.Length).ToArray());
    }

    [Fact]
    public void TransportIdIsTheIscsiPortNameNullTerminatedAndPaddedToFourBytes()
    {
        Pr.RegisterKey(_unit, Pr.A, 0xAAAA);

        var data = Harness.Run(_unit, Pr.InCdb(3), nexus: Pr.A).DataIn.ToArray();

        // "iqn.2026-01.test:a,i,0x23d000000001" is 35 bytes: with its null, 36, a multiple of four.
        var id = data.AsSpan(8 + 24).ToArray();
        Assert.Equal(40, id.Length);
        Assert.Equal((byte)0x45, id[0]);                  // FORMAT CODE 01b, PROTOCOL IDENTIFIER 5h
        Assert.Equal(36, BinaryPrimitives.ReadUInt16BigEndian(id.AsSpan(2)));
        Assert.Equal("iqn.2026-01.test:a,i,0x23d000000001"u8.ToArray(), id.AsSpan(4, 35).ToArray());
        Assert.Equal(0, id[39]);
    }

    private static void AssertInvalidParameter(CommandComplete answer, int byteIndex, int? bit = null)
    {
        Harness.AssertSense(answer, 0x5, 0x26, 0x00);
        var sense = answer.Sense.Span;
        Assert.Equal(0x80, sense[15] & 0xC0);             // SKSV, C/D zero: the parameter list
        Assert.Equal(byteIndex, BinaryPrimitives.ReadUInt16BigEndian(sense[16..]));
        if (bit is { } b)
        {
            Assert.Equal(0x08 | b, sense[15] & 0x0F);
        }
    }
}
