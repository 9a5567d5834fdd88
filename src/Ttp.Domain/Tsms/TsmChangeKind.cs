namespace Ttp.Domain.Tsms;

/// <summary>A change that widens a TSM's access and therefore waits for a second Operator.</summary>
public enum TsmChangeKind
{
    /// <summary>Issuers added to the scope and/or a higher rate limit.</summary>
    Scope = 1,

    /// <summary>A client certificate added (rotation).</summary>
    Certificate = 2,

    /// <summary>A suspended TSM reinstated.</summary>
    Reinstatement = 3,
}
