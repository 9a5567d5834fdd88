namespace Ttp.Domain.IssuerKeys;

/// <summary>Life cycle of an issuer key set.</summary>
public enum IssuerKeySetState
{
    /// <summary>Imported; not yet usable. Activation checks the known-answer sample when one was given.</summary>
    PendingActivation = 0,

    /// <summary>Used to answer key requests.</summary>
    Active = 1,

    /// <summary>Temporarily not used; may be activated again.</summary>
    Suspended = 2,

    /// <summary>Withdrawn for good.</summary>
    Retired = 3,
}
