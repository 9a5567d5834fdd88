using System.Security.Cryptography;
using Ttp.Domain.Data;
using Ttp.Domain.Tests.Infrastructure;

namespace Ttp.Cli.Tests.Admin;

/// <summary>
/// A next-LMK file is used only by a rotation that <c>ttpctl lmk rotate</c> started and recorded (issue 9, item 7): one
/// planted beside the LMK is refused by every command, naming it, and the rotation runs once it is moved away. On SQLite
/// and PostgreSQL.
/// </summary>
public sealed class NextLmkTests
{
    private const string Component1 = "0123456789ABCDEFFEDCBA9876543210";
    private const string Component2 = "41620724CDEE8BA8B695F0D33A197C5F";

    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task AnyCommand_NextLmkFilePlanted_RefusedNamingItUntilMovedAwayThenRotationRuns(DatabaseProvider provider)
    {
        await using var env = await CliEnvironment.CreateAsync(provider);
        var before = (await env.OkAsync("init")).Field("lmk", "id");
        await env.OkWithComponentsAsync(
            [Component1, Component2],
            "issuer-key", "import", "--iin", "000001", "--kvn", "1", "--scheme", "scp02", "--method", "emv",
            "--sample-kdd", "00010203040506070809", "--sample-enc-kcv", "C33013");
        var lmk = Path.Combine(env.Folder, "data", "lmk.key");
        var planted = lmk + ".next";
        var plantedKey = RandomNumberGenerator.GetBytes(32);
        await File.WriteAllBytesAsync(planted, plantedKey);
        File.SetUnixFileMode(planted, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var rotate = await env.RunAsync("lmk", "rotate");
        var import = await env.RunWithComponentsAsync(
            [Component1, Component2], "issuer-key", "import", "--iin", "000001", "--kvn", "2", "--scheme", "scp02", "--method", "emv");

        rotate.AssertFailure(5, planted, "not created by an LMK rotation recorded here", "move", "ttpctl lmk rotate");
        import.AssertFailure(5, planted);
        Assert.Equal(plantedKey, await File.ReadAllBytesAsync(planted));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(lmk)!, "lmk.key.rotation-*"));

        File.Move(planted, Path.Combine(env.Folder, "planted-lmk-for-investigation"));
        var rotated = await env.OkAsync("lmk", "rotate");

        Assert.Equal(before, rotated.Field("previous_lmk_id"));
        Assert.NotEqual(before, (await env.OkAsync("init")).Field("lmk", "id"));
        Assert.Equal("Active", (await env.OkAsync("issuer-key", "activate", "--iin", "000001", "--kvn", "1")).Field("state"));
        Assert.True((await env.OkAsync("audit", "verify")).Json.GetProperty("is_valid").GetBoolean());
    }
}
