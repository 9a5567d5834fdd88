using System.Diagnostics;
using System.Runtime.InteropServices;
using Ttp.Domain.KeyStore;

namespace Ttp.Domain.Tests.KeyStore;

/// <summary>
/// A SoftHSM2 token in a temporary folder, shared by the PKCS#11 tests of one run (<see cref="SoftHsmCollection"/>).
/// SoftHSM reads <c>SOFTHSM2_CONF</c> with the C library's getenv when the module initialises, and .NET's
/// Environment.SetEnvironmentVariable does not reach the native environment on Unix, hence setenv. The token is created
/// with softhsm2-util before the module is first loaded in this process. When SoftHSM2 is missing every test that uses
/// the token fails with a message saying how to get it; none is skipped.
/// </summary>
public sealed class SoftHsmToken : IDisposable
{
    public const string LibraryPath = "/usr/lib/softhsm/libsofthsm2.so";
    public const string TokenLabel = "ttp-test";
    public const string UserPin = "user-pin-1234";
    private const string SoPin = "so-pin-5678";
    private const string Util = "/usr/bin/softhsm2-util";

    private readonly string? _problem;
    private readonly string _folder;

    public SoftHsmToken()
    {
        _folder = Directory.CreateTempSubdirectory("ttp-softhsm-").FullName;
        if (!File.Exists(LibraryPath) || !File.Exists(Util))
        {
            _problem = $"SoftHSM2 is not installed ({LibraryPath}, {Util}): run the tests with scripts/test.sh, which installs the softhsm2 package";
            return;
        }

        var tokens = Directory.CreateDirectory(Path.Combine(_folder, "tokens")).FullName;
        var config = Path.Combine(_folder, "softhsm2.conf");
        File.WriteAllText(config, $"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n");
        Environment.SetEnvironmentVariable("SOFTHSM2_CONF", config);
        if (SetEnv("SOFTHSM2_CONF", config, 1) != 0)
        {
            _problem = "setenv(SOFTHSM2_CONF) failed";
            return;
        }

        var start = new ProcessStartInfo(Util)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { "--init-token", "--free", "--label", TokenLabel, "--so-pin", SoPin, "--pin", UserPin },
        };
        start.Environment["SOFTHSM2_CONF"] = config;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            _problem = $"softhsm2-util --init-token failed ({process.ExitCode}): {output.Trim()}";
        }
    }

    /// <summary>Options for an LMK with its own key label (each test its own key in the shared token).</summary>
    public Pkcs11LmkOptions Options(string keyLabel)
    {
        if (_problem is not null)
        {
            Assert.Fail(_problem);
        }

        return new Pkcs11LmkOptions { LibraryPath = LibraryPath, TokenLabel = TokenLabel, UserPin = UserPin, KeyLabel = keyLabel };
    }

    /// <summary>A key label no other test uses.</summary>
    public static string NewKeyLabel() => "lmk-test-" + Guid.NewGuid().ToString("N")[..12];

    public void Dispose() => Directory.Delete(_folder, recursive: true);

#pragma warning disable SYSLIB1054 // LibraryImport would need AllowUnsafeBlocks in the test project for one call.
    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int SetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
#pragma warning restore SYSLIB1054
}

[CollectionDefinition(Name)]
public sealed class SoftHsmCollection : ICollectionFixture<SoftHsmToken>
{
    public const string Name = "SoftHSM2 token";
}
