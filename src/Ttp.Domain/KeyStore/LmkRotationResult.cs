namespace Ttp.Domain.KeyStore;

/// <summary>What an LMK rotation did (written to the audit chain by the caller; holds ids and counts only).</summary>
/// <param name="PreviousLmkId">The LMK that was current when the run began (the one now retired).</param>
/// <param name="NewLmkId">The LMK that is current now.</param>
/// <param name="EnvelopesRewrapped">Envelopes re-wrapped by this run (a resumed run counts only its own).</param>
/// <param name="Resumed">True when this run continued an interrupted rotation.</param>
public sealed record LmkRotationResult(string PreviousLmkId, string NewLmkId, int EnvelopesRewrapped, bool Resumed);
