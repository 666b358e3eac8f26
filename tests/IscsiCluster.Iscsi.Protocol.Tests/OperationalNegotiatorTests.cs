using IscsiCluster.Iscsi.Protocol.Negotiation;
using IscsiCluster.Iscsi.Protocol.Pdus;
using IscsiCluster.Iscsi.Protocol.Text;

namespace IscsiCluster.Iscsi.Protocol.Tests;

public class OperationalNegotiatorTests
{
    private const LoginStage Security = LoginStage.SecurityNegotiation;
    private const LoginStage Operational = LoginStage.LoginOperationalNegotiation;

    // Boolean keys: (key, offered, limits preference, expected answer).
    [Theory]
    [InlineData("InitialR2T", "No", false, "No")]
    [InlineData("InitialR2T", "Yes", false, "Yes")]
    [InlineData("InitialR2T", "No", true, "Yes")]
    [InlineData("ImmediateData", "Yes", true, "Yes")]
    [InlineData("ImmediateData", "No", true, "No")]
    [InlineData("ImmediateData", "Yes", false, "No")]
    [InlineData("DataPDUInOrder", "No", true, "Yes")]
    [InlineData("DataPDUInOrder", "No", false, "No")]
    [InlineData("DataSequenceInOrder", "No", true, "Yes")]
    [InlineData("DataSequenceInOrder", "Yes", false, "Yes")]
    public void BooleanKeysFollowTheirAndOrOrResultFunction(string key, string offered, bool preference, string expected)
    {
        var limits = new TargetNegotiationLimits
        {
            InitialR2T = preference, ImmediateData = preference, DataPduInOrder = preference, DataSequenceInOrder = preference,
        };
        var negotiator = StartedNormalSession(limits);

        Assert.Equal(expected, Answer(negotiator, key, offered));
        Assert.Equal(expected == "Yes", BooleanParameter(negotiator.Parameters, key));
    }

    [Theory]
    [InlineData("InitialR2T")]
    [InlineData("ImmediateData")]
    [InlineData("DataPDUInOrder")]
    [InlineData("DataSequenceInOrder")]
    [InlineData("OFMarker")]
    [InlineData("IFMarker")]
    public void ABooleanKeyWithAValueOtherThanYesOrNoIsRejected(string key)
    {
        var negotiator = StartedNormalSession();
        negotiator.Negotiate([], Operational);
        var before = negotiator.Parameters;

        Assert.Equal("Reject", Answer(negotiator, key, "Maybe"));
        Assert.Equal(before, negotiator.Parameters);
    }

    // Numeric keys: (key, offered, expected answer).
    [Theory]
    [InlineData("MaxBurstLength", "262144", "262144")]
    [InlineData("MaxBurstLength", "16777215", "1048576")]
    [InlineData("FirstBurstLength", "4096", "4096")]
    [InlineData("FirstBurstLength", "262144", "65536")]
    [InlineData("DefaultTime2Wait", "0", "2")]
    [InlineData("DefaultTime2Wait", "10", "10")]
    [InlineData("DefaultTime2Retain", "0", "0")]
    [InlineData("DefaultTime2Retain", "3600", "20")]
    [InlineData("MaxOutstandingR2T", "8", "1")]
    [InlineData("MaxConnections", "4", "1")]
    [InlineData("ErrorRecoveryLevel", "2", "0")]
    [InlineData("ErrorRecoveryLevel", "0", "0")]
    [InlineData("iSCSIProtocolLevel", "2", "1")]
    [InlineData("iSCSIProtocolLevel", "0", "0")]
    [InlineData("MaxBurstLength", "0x10000", "65536")]
    public void NumericKeysFollowTheirMinimumOrMaximumResultFunction(string key, string offered, string expected)
    {
        var negotiator = StartedNormalSession();

        Assert.Equal(expected, Answer(negotiator, key, offered));
        Assert.Equal(int.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), NumericParameter(negotiator.Parameters, key));
    }

    [Theory]
    [InlineData("MaxBurstLength", "511")]
    [InlineData("MaxBurstLength", "16777216")]
    [InlineData("FirstBurstLength", "100")]
    [InlineData("DefaultTime2Wait", "3601")]
    [InlineData("DefaultTime2Retain", "4000")]
    [InlineData("MaxOutstandingR2T", "0")]
    [InlineData("MaxOutstandingR2T", "65536")]
    [InlineData("MaxConnections", "0")]
    [InlineData("ErrorRecoveryLevel", "3")]
    [InlineData("iSCSIProtocolLevel", "32")]
    [InlineData("MaxBurstLength", "lots")]
    [InlineData("MaxBurstLength", "")]
    [InlineData("MaxBurstLength", "-1")]
    public void ANumericValueOutOfRangeOrSyntaxIsRejectedAndTheDefaultKept(string key, string offered)
    {
        var negotiator = StartedNormalSession();
        negotiator.Negotiate([], Operational);
        var before = negotiator.Parameters;

        Assert.Equal("Reject", Answer(negotiator, key, offered));
        Assert.Equal(before, negotiator.Parameters);
    }

    [Fact]
    public void MaxOutstandingR2TIsTheMinimumOfBothSides()
    {
        var negotiator = StartedNormalSession(new TargetNegotiationLimits { MaxOutstandingR2T = 4 });

        Assert.Equal("4", Answer(negotiator, "MaxOutstandingR2T", "8"));
    }

    [Fact]
    public void FirstBurstLengthNeverExceedsTheMaxBurstLengthOfferedInTheSameRequest()
    {
        var negotiator = StartedNormalSession();

        var result = negotiator.Negotiate([new("FirstBurstLength", "65536"), new("MaxBurstLength", "8192")], Operational);

        Assert.Contains(new TextKeyValue("FirstBurstLength", "8192"), result.Response);
        Assert.Contains(new TextKeyValue("MaxBurstLength", "8192"), result.Response);
        Assert.Equal(8192, negotiator.Parameters.FirstBurstLength);
    }

    [Theory]
    [InlineData("HeaderDigest", "CRC32C,None", true, "CRC32C")]
    [InlineData("HeaderDigest", "None,CRC32C", true, "None")]
    [InlineData("HeaderDigest", "CRC32C,None", false, "None")]
    [InlineData("HeaderDigest", "MD5,CRC32C", true, "CRC32C")]
    [InlineData("DataDigest", "CRC32C", true, "CRC32C")]
    [InlineData("DataDigest", "None", true, "None")]
    public void DigestsPickTheFirstValueOfTheInitiatorsListWeSupport(string key, string offered, bool allowed, string expected)
    {
        var negotiator = StartedNormalSession(new TargetNegotiationLimits { AllowHeaderDigest = allowed, AllowDataDigest = allowed });

        Assert.Equal(expected, Answer(negotiator, key, offered));
        var enabled = key == "HeaderDigest" ? negotiator.Parameters.HeaderDigest : negotiator.Parameters.DataDigest;
        Assert.Equal(expected == "CRC32C", enabled);
    }

    [Theory]
    [InlineData("HeaderDigest", "CRC32C", false)]
    [InlineData("DataDigest", "MD5", true)]
    public void ADigestListWithNothingWeSupportIsRejected(string key, string offered, bool allowed)
    {
        var negotiator = StartedNormalSession(new TargetNegotiationLimits { AllowHeaderDigest = allowed, AllowDataDigest = allowed });

        Assert.Equal("Reject", Answer(negotiator, key, offered));
    }

    [Fact]
    public void MaxRecvDataSegmentLengthIsDeclaredByEachSide()
    {
        var negotiator = StartedNormalSession(new TargetNegotiationLimits { MaxRecvDataSegmentLength = 131072 });

        var result = negotiator.Negotiate([new("MaxRecvDataSegmentLength", "65536")], Operational);

        Assert.Equal([new TextKeyValue("MaxRecvDataSegmentLength", "131072")], result.Response);
        Assert.Equal(65536, negotiator.Parameters.MaxSendDataSegmentLength);
        Assert.Equal(131072, negotiator.Parameters.MaxRecvDataSegmentLength);
    }

    [Fact]
    public void TheTargetDeclaresItsReceiveLimitOnceEvenWhenTheInitiatorDoesNot()
    {
        var negotiator = StartedNormalSession();

        var first = negotiator.Negotiate([new("InitialR2T", "No")], Operational);
        var second = negotiator.Negotiate([new("ImmediateData", "Yes")], Operational);

        Assert.Contains(new TextKeyValue("MaxRecvDataSegmentLength", "262144"), first.Response);
        Assert.DoesNotContain(second.Response, pair => pair.Key == "MaxRecvDataSegmentLength");
        Assert.Equal(NegotiatedParameters.DefaultMaxRecvDataSegmentLength, negotiator.Parameters.MaxSendDataSegmentLength);
    }

    [Theory]
    [InlineData("511")]
    [InlineData("16777216")]
    [InlineData("big")]
    public void AnOutOfRangeReceiveLimitDeclarationEndsTheLogin(string value)
    {
        var result = StartedNormalSession().Negotiate([new("MaxRecvDataSegmentLength", value)], Operational);

        Assert.Equal(LoginStatus.InitiatorError, result.Status);
    }

    [Fact]
    public void TaskReportingAnswersRfc3720WhenOffered()
    {
        Assert.Equal("RFC3720", Answer(StartedNormalSession(), "TaskReporting", "ResponseFence,RFC3720"));
        Assert.Equal("Reject", Answer(StartedNormalSession(), "TaskReporting", "ResponseFence,FastAbort"));
    }

    [Theory]
    [InlineData("OFMarker", "Yes", "No")]
    [InlineData("IFMarker", "No", "No")]
    [InlineData("OFMarkInt", "2048~8192", "Irrelevant")]
    [InlineData("IFMarkInt", "1~65535", "Irrelevant")]
    public void ObsoleteMarkerKeysAreTurnedOff(string key, string offered, string expected) =>
        Assert.Equal(expected, Answer(StartedNormalSession(), key, offered));

    [Theory]
    [InlineData("X-com.example.Feature", "1")]
    [InlineData("X#NodeArchitecture", "Linux/6.1")]
    [InlineData("FancyNewKey", "Yes")]
    public void PrivateAndUnknownKeysAreNotUnderstood(string key, string value)
    {
        Assert.Equal("NotUnderstood", Answer(StartedNormalSession(), key, value));
    }

    [Fact]
    public void AKeyOfferedAgainInALaterRequestIsAnInitiatorError()
    {
        var negotiator = StartedNormalSession();
        Assert.False(negotiator.Negotiate([new("HeaderDigest", "None")], Operational).Failed);

        var again = negotiator.Negotiate([new("HeaderDigest", "CRC32C")], Operational);

        Assert.Equal(LoginStatus.InitiatorError, again.Status);
    }

    [Fact]
    public void AnOperationalKeyInTheSecurityStageIsAnInitiatorError()
    {
        var result = Negotiator().Negotiate([.. FirstRequest, new("MaxBurstLength", "8192")], Security);

        Assert.Equal(LoginStatus.InitiatorError, result.Status);
    }

    [Fact]
    public void AnAuthenticationKeyInTheOperationalStageIsAnInitiatorError()
    {
        var result = StartedNormalSession().Negotiate([new("CHAP_A", "5")], Operational);

        Assert.Equal(LoginStatus.InitiatorError, result.Status);
    }

    [Fact]
    public void AuthenticationKeysAreLeftToTheAuthenticatorInTheSecurityStage()
    {
        var result = Negotiator().Negotiate([.. FirstRequest, new("AuthMethod", "CHAP,None")], Security);

        Assert.False(result.Failed);
        Assert.DoesNotContain(result.Response, pair => pair.Key == "AuthMethod");
    }

    [Theory]
    [InlineData("TargetPortalGroupTag", "1")]
    [InlineData("TargetAlias", "t")]
    [InlineData("TargetAddress", "10.0.0.1:3260,1")]
    [InlineData("SendTargets", "All")]
    public void KeysOnlyTheTargetSendsAreRefusedFromTheInitiator(string key, string value)
    {
        var result = Negotiator().Negotiate([.. FirstRequest, new(key, value)], Security);

        Assert.Equal(LoginStatus.InitiatorError, result.Status);
    }

    [Fact]
    public void TheFirstRequestMustNameTheInitiator()
    {
        var result = Negotiator().Negotiate([new("TargetName", "iqn.t")], Security);

        Assert.Equal(LoginStatus.MissingParameter, result.Status);
    }

    [Fact]
    public void ANormalSessionMustNameTheTargetButADiscoverySessionNeedNot()
    {
        Assert.Equal(LoginStatus.MissingParameter, Negotiator().Negotiate([new("InitiatorName", "iqn.i")], Security).Status);

        var discovery = Negotiator().Negotiate([new("InitiatorName", "iqn.i"), new("SessionType", "Discovery")], Security);
        Assert.False(discovery.Failed);
        Assert.Empty(discovery.Response);
    }

    [Fact]
    public void AnUnknownSessionTypeIsRefused()
    {
        var result = Negotiator().Negotiate([.. FirstRequest[..2], new("SessionType", "Other")], Security);

        Assert.Equal(LoginStatus.SessionTypeNotSupported, result.Status);
    }

    [Theory]
    [InlineData("InitiatorName", "")]
    [InlineData("TargetName", "")]
    public void AnEmptyNameIsAnInitiatorError(string key, string value)
    {
        var pairs = FirstRequest.Where(p => p.Key != key).Append(new TextKeyValue(key, value)).ToList();

        Assert.Equal(LoginStatus.InitiatorError, Negotiator().Negotiate(pairs, Security).Status);
    }

    [Fact]
    public void ANameOver223BytesIsAnInitiatorErrorAndOneOf223IsAccepted()
    {
        var longest = "iqn." + new string('a', 219);
        var tooLong = longest + "a";

        Assert.False(Negotiator().Negotiate([new("InitiatorName", longest), new("TargetName", "iqn.t")], Security).Failed);
        Assert.Equal(LoginStatus.InitiatorError, Negotiator().Negotiate([new("InitiatorName", tooLong), new("TargetName", "iqn.t")], Security).Status);
    }

    [Fact]
    public void AnInitiatorAliasOf255BytesIsRecordedAndALongerOneRefused()
    {
        Assert.False(Negotiator().Negotiate([.. FirstRequest, new("InitiatorAlias", new string('a', 255))], Security).Failed);
        Assert.Equal(LoginStatus.InitiatorError, Negotiator().Negotiate([.. FirstRequest, new("InitiatorAlias", new string('a', 256))], Security).Status);
    }

    [Fact]
    public void TheFirstResponseOfANormalSessionDeclaresThePortalGroupTagAndAlias()
    {
        var negotiator = Negotiator(context: new LoginNegotiationContext { TargetPortalGroupTag = 7, TargetAlias = "disk" });

        var first = negotiator.Negotiate(FirstRequest, Security);
        var second = negotiator.Negotiate([new("HeaderDigest", "None")], Operational);

        Assert.Contains(new TextKeyValue("TargetPortalGroupTag", "7"), first.Response);
        Assert.Contains(new TextKeyValue("TargetAlias", "disk"), first.Response);
        Assert.DoesNotContain(second.Response, pair => pair.Key == "TargetPortalGroupTag");
    }

    [Fact]
    public void DeclarationsAreRecorded()
    {
        var negotiator = Negotiator();

        negotiator.Negotiate([.. FirstRequest, new("InitiatorAlias", "host1")], Security);

        Assert.Equal("iqn.1994-05.com.example:i", negotiator.Parameters.InitiatorName);
        Assert.Equal("iqn.2026-01.com.example:t", negotiator.Parameters.TargetName);
        Assert.Equal("host1", negotiator.Parameters.InitiatorAlias);
        Assert.Equal(SessionType.Normal, negotiator.Parameters.SessionType);
    }

    [Theory]
    [InlineData("MaxBurstLength", "8192")]
    [InlineData("InitialR2T", "No")]
    [InlineData("MaxConnections", "2")]
    [InlineData("MaxOutstandingR2T", "2")]
    public void KeysMeaninglessForDiscoveryAreIrrelevantInADiscoverySession(string key, string value)
    {
        var negotiator = Negotiator();
        negotiator.Negotiate([new("InitiatorName", "iqn.i"), new("SessionType", "Discovery")], Security);

        Assert.Equal("Irrelevant", Answer(negotiator, key, value));
    }

    [Fact]
    public void DefaultTime2WaitIsStillNegotiatedInADiscoverySession()
    {
        var negotiator = Negotiator();
        negotiator.Negotiate([new("InitiatorName", "iqn.i"), new("SessionType", "Discovery")], Security);

        Assert.Equal("5", Answer(negotiator, "DefaultTime2Wait", "5"));
    }

    [Fact]
    public void SessionWideKeysAreIrrelevantOnAConnectionJoiningASessionWhichKeepsItsValues()
    {
        var session = new NegotiatedParameters { InitialR2T = false, MaxBurstLength = 65536, HeaderDigest = true, MaxRecvDataSegmentLength = 131072 };
        var negotiator = Negotiator(context: new LoginNegotiationContext { ExistingSession = session });
        negotiator.Negotiate(FirstRequest, Security);

        Assert.Equal("Irrelevant", Answer(negotiator, "InitialR2T", "Yes"));
        Assert.Equal("Irrelevant", Answer(negotiator, "MaxBurstLength", "8192"));
        Assert.Equal("None", Answer(negotiator, "DataDigest", "None"));
        Assert.False(negotiator.Parameters.InitialR2T);
        Assert.Equal(65536, negotiator.Parameters.MaxBurstLength);
        Assert.False(negotiator.Parameters.HeaderDigest);
    }

    [Fact]
    public void KeysNeverNegotiatedKeepTheRfcDefaults()
    {
        var negotiator = StartedNormalSession();
        var parameters = negotiator.Parameters;

        Assert.Equal(
            (1, true, true, 262144, 65536, 2, 20, 1, true, true, 0, false, false, 8192, 8192),
            (parameters.MaxConnections, parameters.InitialR2T, parameters.ImmediateData, parameters.MaxBurstLength, parameters.FirstBurstLength,
                parameters.DefaultTime2Wait, parameters.DefaultTime2Retain, parameters.MaxOutstandingR2T, parameters.DataPduInOrder,
                parameters.DataSequenceInOrder, parameters.ErrorRecoveryLevel, parameters.HeaderDigest, parameters.DataDigest,
                parameters.MaxRecvDataSegmentLength, parameters.MaxSendDataSegmentLength));
    }

    [Fact]
    public void TheNegotiatedValuesBecomeTheCodecOptions()
    {
        var negotiator = StartedNormalSession();
        negotiator.Negotiate([new("HeaderDigest", "CRC32C"), new("DataDigest", "None")], Operational);

        var read = negotiator.Parameters.ToReadOptions();
        var write = negotiator.Parameters.ToWriteOptions();

        Assert.True(read.HeaderDigest);
        Assert.False(read.DataDigest);
        Assert.Equal(262144, read.MaxRecvDataSegmentLength);
        Assert.Equal(new PduWriteOptions(HeaderDigest: true, DataDigest: false), write);
    }

    [Fact]
    public void ATypicalOpenIscsiOperationalRequestIsAnsweredKeyByKey()
    {
        var negotiator = StartedNormalSession();
        TextKeyValue[] offered =
        [
            new("HeaderDigest", "None"), new("DataDigest", "None"), new("DefaultTime2Wait", "2"), new("DefaultTime2Retain", "0"),
            new("IFMarker", "No"), new("OFMarker", "No"), new("ErrorRecoveryLevel", "0"), new("InitialR2T", "No"),
            new("ImmediateData", "Yes"), new("MaxBurstLength", "16776192"), new("FirstBurstLength", "262144"),
            new("MaxOutstandingR2T", "1"), new("MaxConnections", "1"), new("DataPDUInOrder", "Yes"), new("DataSequenceInOrder", "Yes"),
            new("MaxRecvDataSegmentLength", "262144"),
        ];

        var result = negotiator.Negotiate(offered, Operational);

        Assert.False(result.Failed, result.FailureReason);
        Assert.Equal(offered.Select(p => p.Key).Order(), result.Response.Select(p => p.Key).Order());
        Assert.Contains(new TextKeyValue("MaxBurstLength", "1048576"), result.Response);
        Assert.Contains(new TextKeyValue("FirstBurstLength", "65536"), result.Response);
    }

    internal static TextKeyValue[] FirstRequest { get; } =
    [
        new("InitiatorName", "iqn.1994-05.com.example:i"),
        new("TargetName", "iqn.2026-01.com.example:t"),
        new("SessionType", "Normal"),
    ];

    private static OperationalNegotiator Negotiator(TargetNegotiationLimits? limits = null, LoginNegotiationContext? context = null) =>
        new(limits ?? new TargetNegotiationLimits(), context ?? new LoginNegotiationContext());

    private static OperationalNegotiator StartedNormalSession(TargetNegotiationLimits? limits = null)
    {
        var negotiator = Negotiator(limits);
        var result = negotiator.Negotiate(FirstRequest, Security);
        Assert.False(result.Failed, result.FailureReason);
        return negotiator;
    }

    private static string Answer(OperationalNegotiator negotiator, string key, string value)
    {
        var result = negotiator.Negotiate([new(key, value)], Operational);
        Assert.False(result.Failed, result.FailureReason);
        return result.Response.Single(pair => pair.Key == key).Value;
    }

    private static bool BooleanParameter(NegotiatedParameters p, string key) => key switch
    {
        "InitialR2T" => p.InitialR2T,
        "ImmediateData" => p.ImmediateData,
        "DataPDUInOrder" => p.DataPduInOrder,
        _ => p.DataSequenceInOrder,
    };

    private static int NumericParameter(NegotiatedParameters p, string key) => key switch
    {
        "MaxBurstLength" => p.MaxBurstLength,
        "FirstBurstLength" => p.FirstBurstLength,
        "DefaultTime2Wait" => p.DefaultTime2Wait,
        "DefaultTime2Retain" => p.DefaultTime2Retain,
        "MaxOutstandingR2T" => p.MaxOutstandingR2T,
        "MaxConnections" => p.MaxConnections,
        "ErrorRecoveryLevel" => p.ErrorRecoveryLevel,
        _ => p.ProtocolLevel,
    };
}
