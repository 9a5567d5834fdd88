namespace Ttp.Domain.Ceremonies;

/// <summary>States of the ceremony state machine.</summary>
public enum CeremonyState
{
    /// <summary>Opened by a security officer; no component yet.</summary>
    Open = 0,

    /// <summary>At least one component entered or handed out.</summary>
    CollectingComponents = 1,

    /// <summary>All components in; the final check value waits for the security officer's confirmation.</summary>
    AwaitingConfirmation = 2,

    /// <summary>Confirmed; the key exists.</summary>
    Completed = 3,

    /// <summary>Stopped by a security officer; the partial state is destroyed.</summary>
    Aborted = 4,

    /// <summary>Timed out; the partial state is destroyed.</summary>
    Expired = 5,
}
