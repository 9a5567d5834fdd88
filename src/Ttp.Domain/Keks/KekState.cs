namespace Ttp.Domain.Keks;

/// <summary>Life cycle of a KEK.</summary>
public enum KekState
{
    /// <summary>Wraps keys for its TSM.</summary>
    Active = 1,

    /// <summary>No longer used.</summary>
    Retired = 2,

    /// <summary>Made by a ceremony; wraps nothing until a Security officer activates it.</summary>
    PendingActivation = 3,
}
