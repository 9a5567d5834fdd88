namespace Ttp.Domain.Audit;

/// <summary>Where a background verification of the whole trail stands (<see cref="AuditVerification"/>).</summary>
public enum AuditVerificationState
{
    /// <summary>Running on a node, which writes its progress (and heartbeat) to the row.</summary>
    Running = 0,

    /// <summary>Finished: the chain and every checkpoint verified.</summary>
    Passed = 1,

    /// <summary>Finished: the trail is broken (the row names the first broken record and the problem), or could not be checked.</summary>
    Failed = 2,

    /// <summary>Stopped before the end: the portal shut down, or its node stopped sending progress (taken over).</summary>
    Abandoned = 3,
}
