namespace Ttp.Domain.KeyStore;

/// <summary><c>Ttp:Lmk:Provider</c>: where the LMK lives.</summary>
public enum LmkProviderKind
{
    /// <summary>A 32-byte key file (mode 0600) under the data directory: the embedded default, not for production.</summary>
    File = 0,

    /// <summary>A non-extractable AES-256 key in an HSM reached through PKCS#11: production.</summary>
    Pkcs11 = 1,
}
