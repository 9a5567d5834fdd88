using Ttp.Domain.Data;
using Ttp.Domain.Tests.KeyStore;

namespace Ttp.Cli.Tests.Admin;

/// <summary>ttpctl with the LMK in a PKCS#11 token (SoftHSM2), configured only through its configuration file.</summary>
[Collection(SoftHsmCollection.Name)]
public sealed class Pkcs11AdminTests(SoftHsmToken token)
{
    // GlobalPlatform default key as two components; published check values 8BAF47 (key) and C33013 (EMV ENC for KDD
    // 00010203040506070809), GlobalPlatformPro TestPlaintextKeys.java.
    private const string Component1 = "0123456789ABCDEFFEDCBA9876543210";
    private const string Component2 = "41620724CDEE8BA8B695F0D33A197C5F";

    [Theory]
    [MemberData(nameof(Ttp.Domain.Tests.Infrastructure.TestDatabase.Providers), MemberType = typeof(Ttp.Domain.Tests.Infrastructure.TestDatabase))]
    public async Task Pkcs11Lmk_InitImportActivateVerify_WorkFromConfiguration(DatabaseProvider provider)
    {
        var options = token.Options(SoftHsmToken.NewKeyLabel());
        await using var env = await CliEnvironment.CreateAsync(provider, new()
        {
            ["Lmk"] = new Dictionary<string, object>
            {
                ["Provider"] = "Pkcs11",
                ["Pkcs11"] = new Dictionary<string, object>
                {
                    ["LibraryPath"] = options.LibraryPath!,
                    ["TokenLabel"] = options.TokenLabel!,
                    ["UserPin"] = options.UserPin!,
                    ["KeyLabel"] = options.KeyLabel,
                },
            },
        });

        var init = await env.OkAsync("init");
        await env.OkAsync("tsm", "add", "--name", "acme", "--certificate", TestCertificates.WriteClientCertificate(env.Folder, "acme"));
        var kek = await env.OkWithComponentsAsync([Component1, Component2], "kek", "import", "--tsm", "acme", "--index", "1", "--algorithm", "tdes2");
        await env.OkWithComponentsAsync(
            [Component1, Component2],
            "issuer-key", "import", "--iin", "000001", "--kvn", "1", "--scheme", "scp02", "--method", "emv",
            "--sample-kdd", "00010203040506070809", "--sample-enc-kcv", "C33013");
        var activated = await env.OkAsync("issuer-key", "activate", "--iin", "000001", "--kvn", "1");
        var verify = await env.OkAsync("audit", "verify");

        Assert.StartsWith("lmk-", init.Field("lmk", "id"), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(env.Folder, "data", "lmk.key")), "no software LMK file with the Pkcs11 provider");
        Assert.Equal("8BAF47", kek.Field("kcv"));
        Assert.Equal("Active", activated.Field("state"));
        Assert.True(verify.Json.GetProperty("is_valid").GetBoolean());
    }

    [Fact]
    public async Task Pkcs11Lmk_WrongPin_FailsWithOneLineNamingTheSetting()
    {
        var options = token.Options(SoftHsmToken.NewKeyLabel());
        await using var env = await CliEnvironment.CreateAsync(DatabaseProvider.Sqlite, new()
        {
            ["Lmk"] = new Dictionary<string, object>
            {
                ["Provider"] = "Pkcs11",
                ["Pkcs11"] = new Dictionary<string, object>
                {
                    ["LibraryPath"] = options.LibraryPath!,
                    ["TokenLabel"] = options.TokenLabel!,
                    ["UserPin"] = "wrong-pin-0000",
                    ["KeyLabel"] = options.KeyLabel,
                },
            },
        });

        var init = await env.RunAsync("init");

        Assert.NotEqual(0, init.ExitCode);
        var line = Assert.Single(init.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("UserPin", line, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-pin-0000", init.Stderr, StringComparison.Ordinal);
    }
}
