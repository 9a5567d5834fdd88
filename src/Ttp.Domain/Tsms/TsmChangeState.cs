namespace Ttp.Domain.Tsms;

/// <summary>Where a proposed widening change stands.</summary>
public enum TsmChangeState
{
    /// <summary>Proposed; no effect until a second Operator approves it.</summary>
    Pending = 0,

    /// <summary>Approved by a second Operator and applied.</summary>
    Approved = 1,

    /// <summary>Rejected by a second Operator (final); nothing was applied.</summary>
    Rejected = 2,
}
