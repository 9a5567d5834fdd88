using Ttp.Domain.KeyStore;

namespace Ttp.Domain.Tests.KeyStore;

public sealed class LmkOptionsTests
{
    [Fact]
    public void Validate_Defaults_NoErrorsAndFileInDataDirectory()
    {
        var options = new LmkOptions();

        Assert.Empty(options.Validate());
        Assert.Equal(LmkProviderKind.File, options.Provider);
        Assert.Equal(Path.GetFullPath("/srv/ttp/data/lmk.key"), options.ResolveFilePath("/srv/ttp/data"));
        Assert.Equal("ttp-lmk", options.Pkcs11.KeyLabel);
    }

    [Fact]
    public void ResolveFilePath_FilePathSet_UsesIt()
    {
        var options = new LmkOptions { FilePath = "/etc/ttp/lmk.key" };

        Assert.Equal("/etc/ttp/lmk.key", options.ResolveFilePath("/srv/ttp/data"));
    }

    [Fact]
    public void Validate_Pkcs11WithoutSettings_NamesEachMissingKey()
    {
        var options = new LmkOptions { Provider = LmkProviderKind.Pkcs11 };

        var errors = options.Validate();

        Assert.Contains("Ttp:Lmk:Pkcs11:LibraryPath is required when Ttp:Lmk:Provider is Pkcs11", errors);
        Assert.Contains("Ttp:Lmk:Pkcs11:TokenLabel is required when Ttp:Lmk:Provider is Pkcs11", errors);
        Assert.Contains("Ttp:Lmk:Pkcs11:UserPin is required when Ttp:Lmk:Provider is Pkcs11", errors);
        Assert.Equal(3, errors.Count);
    }

    [Fact]
    public void Validate_Pkcs11LibraryMissing_NamesKeyAndPath()
    {
        var options = new LmkOptions
        {
            Provider = LmkProviderKind.Pkcs11,
            Pkcs11 = new Pkcs11LmkOptions { LibraryPath = "/nonexistent/libpkcs11.so", TokenLabel = "t", UserPin = "p" },
        };

        var error = Assert.Single(options.Validate());

        Assert.StartsWith("Ttp:Lmk:Pkcs11:LibraryPath", error);
        Assert.Contains("/nonexistent/libpkcs11.so", error);
    }

    [Fact]
    public void Validator_BadOptions_FailsWithTheMessages()
    {
        var result = new LmkOptionsValidator().Validate(null, new LmkOptions { Provider = LmkProviderKind.Pkcs11 });

        Assert.True(result.Failed);
        Assert.Contains("Ttp:Lmk:Pkcs11:LibraryPath is required", result.FailureMessage);
    }

    [Fact]
    public void Create_BadOptions_ThrowsLmkUnavailableNamingKey()
    {
        var error = Assert.Throws<LmkUnavailableException>(() =>
            LmkProviderFactory.Create(new LmkOptions { Provider = LmkProviderKind.Pkcs11 }, "/tmp"));

        Assert.Contains("Ttp:Lmk:Pkcs11:LibraryPath is required when Ttp:Lmk:Provider is Pkcs11", error.Message);
    }

    [Fact]
    public void Create_FileDefaults_CreatesLmkKeyInDataDirectory()
    {
        var folder = Directory.CreateTempSubdirectory("ttp-lmk-").FullName;
        try
        {
            using var lmk = LmkProviderFactory.Create(new LmkOptions(), folder);

            Assert.True(File.Exists(Path.Combine(folder, "lmk.key")));
            Assert.True(lmk.IsSoftware);
            Assert.Contains(Path.Combine(folder, "lmk.key"), lmk.Description);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
