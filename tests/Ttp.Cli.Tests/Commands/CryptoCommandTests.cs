using System.Text.Json;

namespace Ttp.Cli.Tests.Commands;

/// <summary>
/// <c>ttpctl crypto</c> answers per the contract of issue 2, checked against published vectors (each cited) so that the
/// whole path, argument parsing to JSON, is shown to compute the right values.
/// </summary>
public sealed class CryptoCommandTests
{
    // The GlobalPlatform default test key (404142...4F), the master/static key of most published vectors.
    private const string DefaultKey = "404142434445464748494A4B4C4D4E4F";

    // OpenJavaCard/openjavacard-tools src/test/java/org/openjavacard/gp/scp/SCPDiversificationTest.java,
    // testDiversifyEMV_0102030405060708090A. Lower-case input must be accepted; output is upper case.
    [Fact]
    public async Task Diversify_EmvPublishedVector_ReturnsFullKeys()
    {
        var result = await CliRunner.RunAsync(
            "crypto", "diversify", "--method", "emv", "--master-key", DefaultKey.ToLowerInvariant(), "--kdd", "0102030405060708090a");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Stderr);
        Assert.Equal("6438A05AC377DF302423BC5E2038FB5B", result.Field("enc"));
        Assert.Equal("5A9402DDABC5B9497BBECE0884929B83", result.Field("mac"));
        Assert.Equal("ACB4C129B3912FB782A4EAEE043BAE95", result.Field("dek"));
    }

    // martinpaljak/GlobalPlatformPro library/src/test/java/pro/javacard/gp/test/TestPlaintextKeys.java,
    // testDiversification_EMV_SCP02: check values C33013 / 6F4CA6 / BB8179.
    [Fact]
    public async Task Diversify_EmvGlobalPlatformProVector_ReturnsPublishedCheckValues()
    {
        var result = await CliRunner.RunAsync("crypto", "diversify", "--method", "emv", "--master-key", DefaultKey, "--kdd", "00010203040506070809");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("C33013", result.Field("kcv", "enc"));
        Assert.Equal("6F4CA6", result.Field("kcv", "mac"));
        Assert.Equal("BB8179", result.Field("kcv", "dek"));
    }

    // martinpaljak/GlobalPlatformPro TestPlaintextKeys.java, testDiversification_VISA2_SCP02: 2BE598 / 58DA38 / 3C328E.
    [Fact]
    public async Task Diversify_Visa2GlobalPlatformProVector_ReturnsPublishedCheckValues()
    {
        var result = await CliRunner.RunAsync("crypto", "diversify", "--method", "visa2", "--master-key", DefaultKey, "--kdd", "00010203040506070809");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("2BE598", result.Field("kcv", "enc"));
        Assert.Equal("58DA38", result.Field("kcv", "mac"));
        Assert.Equal("3C328E", result.Field("kcv", "dek"));
    }

    // martinpaljak/GlobalPlatformPro TestPlaintextKeys.java, testDiversification_KDF3_SCP03_AES128: AES GlobalPlatform
    // check values E79C05 / D1BD77 / 3FDE8C.
    [Fact]
    public async Task Diversify_Kdf3GlobalPlatformProVector_ReturnsPublishedAesCheckValues()
    {
        var result = await CliRunner.RunAsync("crypto", "diversify", "--method", "kdf3", "--master-key", DefaultKey, "--kdd", "00010203040506070809");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("E79C05", result.Field("kcv", "enc"));
        Assert.Equal("D1BD77", result.Field("kcv", "mac"));
        Assert.Equal("3FDE8C", result.Field("kcv", "dek"));
    }

    // None: the card keys are the master key; 8BAF47 is the published DES check value of the default key
    // (GlobalPlatformPro TestPlaintextKeys.java, testSessionKeys_SCP01).
    [Fact]
    public async Task Diversify_None_ReturnsMasterKeyThrice()
    {
        var result = await CliRunner.RunAsync(
            "crypto", "diversify", "--method", "none", "--algorithm", "tdes", "--master-key", DefaultKey, "--kdd", "00010203040506070809");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(DefaultKey, result.Field("enc"));
        Assert.Equal(DefaultKey, result.Field("dek"));
        Assert.Equal("8BAF47", result.Field("kcv", "mac"));
    }

    // GlobalPlatformPro TestPlaintextKeys.java: 8BAF47 is the DES check value of the default key.
    [Fact]
    public async Task Kcv_TdesDefaultKey_ReturnsPublishedCheckValue()
    {
        var result = await CliRunner.RunAsync("crypto", "kcv", "--algorithm", "tdes", "--key", DefaultKey);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("{\"kcv\":\"8BAF47\"}", result.Stdout.Trim());
    }

    // openemv/tr31 test/tr31_decrypt_test.c (TR-31:2018 A.7.4 key): AES-CMAC check value 08793E25AB.
    [Fact]
    public async Task Kcv_AesCmac_ReturnsPublishedFiveByteCheckValue()
    {
        var result = await CliRunner.RunAsync("crypto", "kcv", "--algorithm", "aes", "--key", "3F419E1CB7079442AA37474C2EFBF8B8", "--type", "cmac");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("08793E25AB", result.Field("kcv"));
    }

    // Session keys: OpenJavaCard/openjavacard-tools SCP02DerivationTest.java, testDeriveSCP02_0001.
    [Fact]
    public async Task Scp02_SessionKeysOnly_ReturnsPublishedKeysWithoutCryptograms()
    {
        var result = await CliRunner.RunAsync(
            "crypto", "scp02", "--enc", DefaultKey, "--mac", DefaultKey, "--dek", DefaultKey, "--sequence-counter", "0001");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("25C9794A1205FF244F5FA0378D2F8D59", result.Field("s_enc"));
        Assert.Equal("9BED98891580C3B245FE9EC58BFA8D2A", result.Field("s_mac"));
        Assert.Equal("0E51FDF196141F227A57BD154012FD39", result.Field("s_dek"));
        Assert.False(result.Json.TryGetProperty("card_cryptogram", out _));
    }

    // Counter 0000: OpenJavaCard/openjavacard-tools SCP02DerivationTest.java, testDeriveSCP02_0000 (S-ENC, S-MAC, S-DEK);
    // martinpaljak/GlobalPlatformPro TestPlaintextKeys.java, testSessionKeys_SCP02, publishes the R-MAC session key
    // only as its DES check value, 9F749A (computed here with the BCL, not with the product's KeyCheckValue).
    [Fact]
    public async Task Scp02_CounterZero_ReturnsPublishedKeysAndRmacCheckValue()
    {
        var result = await CliRunner.RunAsync(
            "crypto", "scp02", "--enc", DefaultKey, "--mac", DefaultKey, "--dek", DefaultKey, "--sequence-counter", "0000");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("010B0371D78377B801F2D62AFC671D95", result.Field("s_enc"));
        Assert.Equal("D1C28C601652A4770D67AD82D2D2E1C4", result.Field("s_mac"));
        Assert.Equal("E11987EE331B417A5D67D760692F89D4", result.Field("s_dek"));
        var rmac = Convert.FromHexString(result.Field("s_rmac"));
#pragma warning disable CA5350 // SCP02 session keys are TDES keys by definition.
        using var tdes = System.Security.Cryptography.TripleDES.Create();
#pragma warning restore CA5350
        tdes.Key = [.. rmac, .. rmac.AsSpan(0, 8)];
        Assert.Equal("9F749A", Convert.ToHexString(tdes.EncryptEcb(new byte[8], System.Security.Cryptography.PaddingMode.None), 0, 3));
    }

    // kaoh/globalplatform globalplatform/src/scp02Test.c, get_status_mac_only: counter 069F, host challenge
    // D5AD539A60CA5E72, card challenge AA2A0591E733, card cryptogram 67DD78794D04315E, host cryptogram 7C799B3C771DBAE6.
    [Fact]
    public async Task Scp02_WithChallenges_ReturnsPublishedCryptograms()
    {
        var result = await CliRunner.RunAsync(
            "crypto", "scp02", "--enc", DefaultKey, "--mac", DefaultKey, "--dek", DefaultKey, "--sequence-counter", "069F",
            "--host-challenge", "D5AD539A60CA5E72", "--card-challenge", "AA2A0591E733");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("67DD78794D04315E", result.Field("card_cryptogram"));
        Assert.Equal("7C799B3C771DBAE6", result.Field("host_cryptogram"));
    }

    // kaoh/globalplatform globalplatform/src/scp03Test.c, mutual_auth: session keys, card cryptogram E4EDBA35E629C336 and
    // EXTERNAL AUTHENTICATE 8482030010 23EBFEDC579D22CD ..., whose first 8 data bytes are the host cryptogram.
    [Fact]
    public async Task Scp03_KaohMutualAuthTrace_ReturnsPublishedKeysAndCryptograms()
    {
        var result = await CliRunner.RunAsync(
            "crypto", "scp03", "--enc", "F995D0A069335C7DF42E590317FFEA6D", "--mac", "58563362EC5A4541ABCD32B34B1EAE7D",
            "--host-challenge", "9BD6BF878FB8E991", "--card-challenge", "3C80C2CC87EB3A35");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("D83EE38C9954C8078987A5E9EE6AB13C", result.Field("s_enc"));
        Assert.Equal("6FF37716E0413065E8DFD08BF1E9EC5E", result.Field("s_mac"));
        Assert.Equal("0254C786E57ACA8982670C1C1A05FF12", result.Field("s_rmac"));
        Assert.Equal("E4EDBA35E629C336", result.Field("card_cryptogram"));
        Assert.Equal("23EBFEDC579D22CD", result.Field("host_cryptogram"));
    }

    // openemv/tr31 test/tr31_decrypt_test.c test6: TR-31:2018 A.7.4 (version D, AES-256 KBPK).
    private const string A74Kbpk = "88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6";
    private const string A74Block = "D0112P0AE00E0000B82679114F470F540165EDFBF7E250FCEA43F810D215F8D207E2E417C07156A27E8E31DA05F7425509593D03A457DC34";

    [Fact]
    public async Task KeyBlockUnwrap_PublishedBlock_ReturnsHeaderAndKey()
    {
        var result = await CliRunner.RunAsync("crypto", "keyblock", "unwrap", "--kbpk", A74Kbpk, "--block", A74Block);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("D", result.Field("version"));
        Assert.Equal("P0", result.Field("usage"));
        Assert.Equal("A", result.Field("algorithm"));
        Assert.Equal("E", result.Field("mode"));
        Assert.Equal("00", result.Field("key_version"));
        Assert.Equal("E", result.Field("exportability"));
        Assert.Equal("3F419E1CB7079442AA37474C2EFBF8B8", result.Field("key"));
        // The GlobalPlatform AES check value (AES-ECB over 16 bytes 01, first 3 bytes), computed here with the BCL; the
        // 08793E that openemv publishes for this key is the CMAC form (see the kcv --type cmac test).
        using var aes = System.Security.Cryptography.Aes.Create();
        aes.Key = Convert.FromHexString("3F419E1CB7079442AA37474C2EFBF8B8");
        var expected = Convert.ToHexString(aes.EncryptEcb(Enumerable.Repeat((byte)1, 16).ToArray(), System.Security.Cryptography.PaddingMode.None), 0, 3);
        Assert.Equal(expected, result.Field("kcv"));
    }

    // openemv/tr31 test/tr31_decrypt_test.c test3: TR-31:2018 A.7.2.2 (version B), key 3F419E...B8, published KCV 57C409.
    [Fact]
    public async Task KeyBlockUnwrap_PublishedVersionBBlock_ReturnsKeyAndPublishedCheckValue()
    {
        var result = await CliRunner.RunAsync(
            "crypto", "keyblock", "unwrap", "--kbpk", "DD7515F2BFC17F85CE48F3CA25CB21F6",
            "--block", "B0080P0TE00E000094B420079CC80BA3461F86FE26EFC4A3B8E4FA4C5F5341176EED7B727B8A248E");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("B", result.Field("version"));
        Assert.Equal("T", result.Field("algorithm"));
        Assert.Equal("3F419E1CB7079442AA37474C2EFBF8B8", result.Field("key"));
        Assert.Equal("57C409", result.Field("kcv"));
    }

    [Fact]
    public async Task KeyBlockUnwrap_WrongMac_ExitsTwoNamingMac()
    {
        var last = A74Block[^1] == '0' ? '1' : '0';
        var tampered = A74Block[..^1] + last;

        var result = await CliRunner.RunAsync("crypto", "keyblock", "unwrap", "--kbpk", A74Kbpk, "--block", tampered);

        result.AssertBadInput("block", "MAC");
    }

    [Fact]
    public async Task KeyBlockUnwrap_VersionA_ExitsTwoRefusingVariantBinding()
    {
        // openemv/tr31 test/tr31_decrypt_test.c: TR-31:2018 A.7.2.1 (version A).
        var result = await CliRunner.RunAsync(
            "crypto", "keyblock", "unwrap", "--kbpk", "89E88CF7931444F334BD7547FC3F380C",
            "--block", "A0072P0TE00E0000F5161ED902807AF26F1D62263644BD24192FDB3193C730301CEE8701");

        result.AssertBadInput("block", "version");
    }

    [Theory]
    [InlineData("D", A74Kbpk, "A", "3F419E1CB7079442AA37474C2EFBF8B8")]
    [InlineData("B", "DD7515F2BFC17F85CE48F3CA25CB21F6", "T", "3F419E1CB7079442AA37474C2EFBF8B8")]
    public async Task KeyBlockWrap_ThenUnwrap_ReturnsSameKeyAndHeader(string version, string kbpk, string algorithm, string key)
    {
        var wrapped = await CliRunner.RunAsync(
            "crypto", "keyblock", "wrap", "--kbpk", kbpk, "--key", key, "--usage", "K0", "--algorithm", algorithm, "--mode", "B",
            "--version", version, "--key-version", "07", "--exportability", "E");
        Assert.Equal(0, wrapped.ExitCode);
        var block = wrapped.Field("block");
        Assert.StartsWith(version, block, StringComparison.Ordinal);
        Assert.Equal($"K0{algorithm}B07E", block.Substring(5, 7));

        var unwrapped = await CliRunner.RunAsync("crypto", "keyblock", "unwrap", "--kbpk", kbpk, "--block", block);

        Assert.Equal(0, unwrapped.ExitCode);
        Assert.Equal(key, unwrapped.Field("key"));
        Assert.Equal("K0", unwrapped.Field("usage"));
        Assert.Equal("07", unwrapped.Field("key_version"));
    }

    // The two components XOR to the GlobalPlatform default key, whose published DES check value is 8BAF47.
    [Fact]
    public async Task ComponentsCombine_TwoComponents_ReturnsXorAndCheckValues()
    {
        const string first = "0123456789ABCDEFFEDCBA9876543210";
        var second = Convert.ToHexString(Xor(Convert.FromHexString(first), Convert.FromHexString(DefaultKey)));

        var result = await CliRunner.RunAsync("crypto", "components", "combine", "--component", first, "--component", second.ToLowerInvariant());

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(DefaultKey, result.Field("key"));
        Assert.Equal("8BAF47", result.Field("kcv"));
        Assert.Equal(2, result.Json.GetProperty("component_kcvs").GetArrayLength());
    }

    // docs/GLOBALPLATFORM.md: real GP 2.2.1 SCP03 i=70 card data (GlobalPlatformPro issue 114 trace).
    [Fact]
    public async Task Tlv_CardData_NamesTagsAndInterpretsScp()
    {
        var result = await CliRunner.RunAsync(
            "crypto", "tlv", "--hex",
            "6631732F06072A864886FC6B01600C060A2A864886FC6B02020201630906072A864886FC6B03640B06092A864886FC6B040370");

        Assert.Equal(0, result.ExitCode);
        var root = Assert.Single(result.Json.EnumerateArray());
        Assert.Equal("66", root.GetProperty("tag").GetString());
        Assert.Equal("Card Data", root.GetProperty("name").GetString());
        var recognition = Assert.Single(root.GetProperty("children").EnumerateArray());
        Assert.Equal("73", recognition.GetProperty("tag").GetString());
        var scp = recognition.GetProperty("children").EnumerateArray().Single(e => e.GetProperty("tag").GetString() == "64");
        Assert.StartsWith("SCP03 i=70", scp.GetProperty("interpretation").GetString(), StringComparison.Ordinal);
        var version = recognition.GetProperty("children").EnumerateArray().Single(e => e.GetProperty("tag").GetString() == "60");
        Assert.StartsWith("GlobalPlatform 2.2.1", version.GetProperty("interpretation").GetString(), StringComparison.Ordinal);
    }

    private static byte[] Xor(byte[] a, byte[] b) => a.Zip(b, (x, y) => (byte)(x ^ y)).ToArray();
}
