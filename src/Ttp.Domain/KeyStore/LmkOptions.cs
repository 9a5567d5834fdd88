namespace Ttp.Domain.KeyStore;

/// <summary>Section <c>Ttp:Lmk</c>: which provider holds the LMK and where (docs/DESIGN.md sections 3 and 8).</summary>
public sealed class LmkOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Ttp:Lmk";

    /// <summary>The default file name of the <see cref="LmkProviderKind.File"/> LMK, in the data directory.</summary>
    public const string DefaultFileName = "lmk.key";

    /// <summary><c>Provider</c>: <c>File</c> (default) or <c>Pkcs11</c>.</summary>
    public LmkProviderKind Provider { get; set; } = LmkProviderKind.File;

    /// <summary><c>FilePath</c>: the file LMK; empty means <c>&lt;Ttp:DataDirectory&gt;/lmk.key</c>.</summary>
    public string? FilePath { get; set; }

    /// <summary><c>Pkcs11</c>: the HSM, when <see cref="Provider"/> is <see cref="LmkProviderKind.Pkcs11"/>.</summary>
    public Pkcs11LmkOptions Pkcs11 { get; set; } = new();

    /// <summary>The file LMK's absolute path: <see cref="FilePath"/>, or <c>lmk.key</c> in <paramref name="dataDirectory"/>.</summary>
    public string ResolveFilePath(string dataDirectory) =>
        Path.GetFullPath(string.IsNullOrWhiteSpace(FilePath) ? Path.Combine(dataDirectory, DefaultFileName) : FilePath);

    /// <summary>The configuration errors, each naming its key (empty when the options are usable).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        switch (Provider)
        {
            case LmkProviderKind.File:
                break;
            case LmkProviderKind.Pkcs11:
                var pkcs11 = Pkcs11 ?? new Pkcs11LmkOptions();
                if (string.IsNullOrWhiteSpace(pkcs11.LibraryPath))
                {
                    errors.Add(RequiredForPkcs11("LibraryPath"));
                }
                else if (!System.IO.File.Exists(pkcs11.LibraryPath))
                {
                    errors.Add($"{Section}:Pkcs11:LibraryPath: no file at '{pkcs11.LibraryPath}' (the HSM vendor's PKCS#11 module)");
                }

                if (string.IsNullOrWhiteSpace(pkcs11.TokenLabel))
                {
                    errors.Add(RequiredForPkcs11("TokenLabel"));
                }

                if (string.IsNullOrEmpty(pkcs11.UserPin))
                {
                    errors.Add(RequiredForPkcs11("UserPin"));
                }

                if (string.IsNullOrWhiteSpace(pkcs11.KeyLabel))
                {
                    errors.Add(RequiredForPkcs11("KeyLabel"));
                }

                break;
            default:
                errors.Add($"{Section}:Provider: expected File or Pkcs11, found {(int)Provider}");
                break;
        }

        return errors;
    }

    private static string RequiredForPkcs11(string key) =>
        $"{Section}:Pkcs11:{key} is required when {Section}:Provider is Pkcs11";
}
