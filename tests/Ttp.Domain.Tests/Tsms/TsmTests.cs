using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Ttp.Domain.Tsms;

namespace Ttp.Domain.Tests.Tsms;

/// <summary>The accreditation rules of <see cref="Tsm"/>: four eyes and the state machine.</summary>
public sealed class TsmTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private static readonly Actor OperatorA = Actor.Staff("a@ttp.test");
    private static readonly Actor OperatorB = Actor.Staff("b@ttp.test");

    [Fact]
    public void Approve_ByTheActorWhoRegistered_RefusedAndStaysPending()
    {
        var tsm = Register(OperatorA);

        var refusal = Assert.Throws<RuleViolationException>(() => tsm.Approve(Actor.Staff("A@TTP.test"), Now));

        Assert.Contains("second operator", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(TsmState.PendingApproval, tsm.State);
        Assert.Null(tsm.ApprovedBy);
    }

    [Fact]
    public void Approve_BySecondOperator_ActivatesAndRecordsApprover()
    {
        var tsm = Register(OperatorA);

        tsm.Approve(OperatorB, Now);

        Assert.Equal(TsmState.Active, tsm.State);
        Assert.Equal("user:b@ttp.test", tsm.ApprovedBy);
        Assert.Equal(Now, tsm.ApprovedAt);
    }

    [Fact]
    public void Reject_ByTheActorWhoRegistered_Refused()
    {
        var tsm = Register(OperatorA);

        Assert.Throws<RuleViolationException>(() => tsm.Reject(OperatorA, "no"));
        tsm.Reject(OperatorB, "documents missing");

        Assert.Equal(TsmState.Rejected, tsm.State);
        Assert.Equal("documents missing", tsm.StateReason);
    }

    [Fact]
    public void StateMachine_SuspendReinstateRevoke_OnlyFromAllowedStates()
    {
        var tsm = Register(OperatorA);
        Assert.Throws<RuleViolationException>(() => tsm.Suspend("early"));
        tsm.Approve(OperatorB, Now);

        tsm.Suspend("audit finding");
        Assert.Throws<RuleViolationException>(() => tsm.Suspend("again"));
        tsm.Reinstate("resolved");
        tsm.Revoke("contract ended");

        Assert.Equal(TsmState.Revoked, tsm.State);
        Assert.Throws<RuleViolationException>(() => tsm.Reinstate("undo"));
        Assert.Throws<RuleViolationException>(() => tsm.Revoke("twice"));
        Assert.Throws<DomainInputException>(() => Register(OperatorA).Revoke(" "));
    }

    private static Tsm Register(Actor actor)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=tsm", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(Now.AddDays(-1), Now.AddDays(30));
        return Tsm.Register("acme", "ACME", CertificateInfo.Read(certificate.RawData), ["A0000001"], actor, Now);
    }
}
