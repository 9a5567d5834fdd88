namespace Ttp.Domain.KeyStore;

/// <summary>Section <c>Ttp:Lmk:Pkcs11</c>: the HSM that holds the LMK.</summary>
public sealed class Pkcs11LmkOptions
{
    /// <summary>The default <see cref="KeyLabel"/>.</summary>
    public const string DefaultKeyLabel = "ttp-lmk";

    /// <summary><c>LibraryPath</c>: the vendor's PKCS#11 module, e.g. <c>/usr/lib/softhsm/libsofthsm2.so</c>.</summary>
    public string? LibraryPath { get; set; }

    /// <summary><c>TokenLabel</c>: the label of the token (slot) that holds the LMK.</summary>
    public string? TokenLabel { get; set; }

    /// <summary><c>UserPin</c>: the token's user PIN (supply it through an environment variable or a secret store).</summary>
    public string? UserPin { get; set; }

    /// <summary>
    /// <c>KeyLabel</c>: the label of the LMK object (default <c>ttp-lmk</c>). During a rotation the new LMK is labelled
    /// <c>&lt;KeyLabel&gt;-next</c>; after it, the old one <c>&lt;KeyLabel&gt;-retired-&lt;lmk id&gt;</c>.
    /// </summary>
    public string KeyLabel { get; set; } = DefaultKeyLabel;
}
