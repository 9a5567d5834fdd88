namespace Ttp.Domain.KeyStore;

/// <summary>
/// The LMK cannot be used: bad configuration, a key file that others may read, a missing token, a refused PIN, a key
/// that is not where it should be. The message names the file, token or configuration key and the fix; never key
/// material.
/// </summary>
public sealed class LmkUnavailableException(string message) : DomainException(message);
