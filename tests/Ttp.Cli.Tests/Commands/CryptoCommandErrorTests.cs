namespace Ttp.Cli.Tests.Commands;

/// <summary>The bad-input contract of <c>ttpctl crypto</c>: exit 2, one line on stderr naming the problem, no stdout.</summary>
public sealed class CryptoCommandErrorTests
{
    private const string Kdd = "00003266201710208650";
    private const string TdesKey = "404142434445464748494A4B4C4D4E4F";

    [Fact]
    public async Task Diversify_OddLengthHex_ExitsTwoNamingArgument()
    {
        var result = await CliRunner.RunAsync("crypto", "diversify", "--method", "emv", "--master-key", TdesKey[..31], "--kdd", Kdd);

        result.AssertBadInput("master-key", "even number of hex digits");
    }

    [Fact]
    public async Task Diversify_NonHex_ExitsTwoNamingArgument()
    {
        var result = await CliRunner.RunAsync("crypto", "diversify", "--method", "emv", "--master-key", TdesKey, "--kdd", "00003266201710208G50");

        result.AssertBadInput("kdd", "hex digits");
    }

    [Fact]
    public async Task Diversify_NineByteKdd_ExitsTwoNamingKdd()
    {
        var result = await CliRunner.RunAsync("crypto", "diversify", "--method", "emv", "--master-key", TdesKey, "--kdd", Kdd[..18]);

        result.AssertBadInput("kdd", "10 bytes");
    }

    [Fact]
    public async Task Diversify_TwentyFourByteMasterKeyForEmv_ExitsTwoNamingMasterKey()
    {
        var result = await CliRunner.RunAsync("crypto", "diversify", "--method", "emv", "--master-key", TdesKey + TdesKey[..16], "--kdd", Kdd);

        result.AssertBadInput("master-key", "16 bytes");
    }

    [Fact]
    public async Task Diversify_UnknownMethod_ExitsTwoNamingMethod()
    {
        var result = await CliRunner.RunAsync("crypto", "diversify", "--method", "emv2", "--master-key", TdesKey, "--kdd", Kdd);

        result.AssertBadInput("emv2", "--method");
    }

    [Fact]
    public async Task Diversify_MissingKdd_ExitsTwoNamingOption()
    {
        var result = await CliRunner.RunAsync("crypto", "diversify", "--method", "emv", "--master-key", TdesKey);

        result.AssertBadInput("--kdd");
    }

    [Fact]
    public async Task Diversify_NoneWithoutAlgorithm_ExitsTwoAskingForAlgorithm()
    {
        var result = await CliRunner.RunAsync("crypto", "diversify", "--method", "none", "--master-key", TdesKey, "--kdd", Kdd);

        result.AssertBadInput("--algorithm", "none");
    }

    [Fact]
    public async Task Scp02_OneChallengeOnly_ExitsTwo()
    {
        var result = await CliRunner.RunAsync(
            "crypto", "scp02", "--enc", TdesKey, "--mac", TdesKey, "--dek", TdesKey, "--sequence-counter", "0001",
            "--host-challenge", "0001020304050607");

        result.AssertBadInput("--card-challenge");
    }

    [Fact]
    public async Task Kcv_UnknownAlgorithm_ExitsTwo()
    {
        var result = await CliRunner.RunAsync("crypto", "kcv", "--algorithm", "des", "--key", TdesKey);

        result.AssertBadInput("--algorithm");
    }

    [Fact]
    public async Task Kcv_WrongKeyLength_ExitsTwoNamingKey()
    {
        var result = await CliRunner.RunAsync("crypto", "kcv", "--algorithm", "aes", "--key", "0011223344");

        result.AssertBadInput("key", "16, 24 or 32 bytes");
    }

    [Fact]
    public async Task ComponentsCombine_OneComponent_ExitsTwo()
    {
        var result = await CliRunner.RunAsync("crypto", "components", "combine", "--component", TdesKey);

        result.AssertBadInput("component", "at least 2");
    }

    [Fact]
    public async Task ComponentsCombine_DifferentLengths_ExitsTwoNamingComponent()
    {
        var result = await CliRunner.RunAsync("crypto", "components", "combine", "--component", TdesKey, "--component", TdesKey[..16]);

        result.AssertBadInput("component 2", "same length");
    }

    [Fact]
    public async Task Tlv_TrailingByte_ExitsTwo()
    {
        var result = await CliRunner.RunAsync("crypto", "tlv", "--hex", "C1020001FF");

        result.AssertBadInput("hex");
    }

    [Fact]
    public async Task UnknownCommand_ExitsTwo()
    {
        var result = await CliRunner.RunAsync("crypto", "frobnicate");

        result.AssertBadInput("frobnicate");
    }
}
