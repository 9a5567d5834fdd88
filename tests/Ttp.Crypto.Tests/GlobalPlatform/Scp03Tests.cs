using Ttp.Crypto.GlobalPlatform;

namespace Ttp.Crypto.Tests.GlobalPlatform;

public class Scp03Tests
{
    private const string DefaultKey = "404142434445464748494A4B4C4D4E4F";

    // kaoh/globalplatform globalplatform/src/scp03Test.c: static ENC and MAC of the delete_application, mutual_auth and
    // get_status traces (the test names them sEnc and sMac; they are the static keys passed to mutual authentication).
    private const string KaohEnc = "F995D0A069335C7DF42E590317FFEA6D";
    private const string KaohMac = "58563362EC5A4541ABCD32B34B1EAE7D";

    // The GlobalPlatform 2.3.1 ISD AID (GP231_ISD_AID in kaoh/globalplatform), the invoking AID of those traces.
    private const string IsdAid = "A000000151000000";

    // osmocom/pysim tests/unittests/test_globalplatform.py: SCP03_Test_AES128_11, _AES128_03, _AES192_11, _AES256_11 and
    // _AES256_33 (three distinct static keys per key length; KEYSET_AES128/192/256 in that file). Each case is the host
    // challenge of init_upd_cmd, the card challenge and cryptogram of init_upd_rsp and the whole ext_auth_cmd. The case
    // name is the test data; the vectors are looked up so that no key value appears in a test name.
    private static readonly Dictionary<string, (string Enc, string Mac, string Host, string Card, string Cryptogram, byte Level, string Command)> PysimCases = new()
    {
        ["AES128_11"] = (
            "000102030405060708090A0B0C0D0E0F", "101112131415161718191A1B1C1D1E1F",
            "B13E5F938FC108C4", "3EB51047495B249F", "66C484C1D2EF1948", 0x11, "84821100107D5F5826A993EBC89EEA24957FA0B3CE"),
        ["AES128_03"] = (
            "000102030405060708090A0B0C0D0E0F", "101112131415161718191A1B1C1D1E1F",
            "8E1552D0513C60F3", "30760CD2C47C1DD3", "95065FE5EAD8A9D7", 0x03, "8482030010FD4721A14D9B07003C451D2F8AE6BB21"),
        ["AES192_11"] = (
            "000102030405060708090A0B0C0D0E0F0001020304050607", "101112131415161718191A1B1C1D1E1F1011121314151617",
            "7396430B768B085B", "8CFC23522FFDBF1E", "5DF5542CAC8FD866", 0x11, "84821100102145ED30B146F5DB252FB7E624CEC244"),
        ["AES256_11"] = (
            "000102030405060708090A0B0C0D0E0F000102030405060708090A0B0C0D0E0F", "101112131415161718191A1B1C1D1E1F101112131415161718191A1B1C1D1E1F",
            "11666D57866C6F54", "53EA8847EFA7674E", "41498A4D66CF0DEE", 0x11, "84821100102F2AD190EFF2FAFC4908996D1CEBD310"),
        ["AES256_33"] = (
            "000102030405060708090A0B0C0D0E0F000102030405060708090A0B0C0D0E0F", "101112131415161718191A1B1C1D1E1F101112131415161718191A1B1C1D1E1F",
            "97B2055FE58599FD", "A8439A22CEDF045F", "A9F1903B2834F26E", 0x33, "8482330010508A0FD959D2E547C6B33154A6BE2057"),
    };

    // OpenJavaCard/openjavacard-tools src/test/java/org/openjavacard/gp/scp/SCP03DerivationTest.java, testDeriveSCP03_000010
    // (also src/test/java/org/openjavacard/gp/keys/GPKeySetTest.java, testDeriveSCP03).
    [Fact]
    public void DeriveSessionKeys_OpenJavaCardVector_ReturnsPublishedSessionKeys()
    {
        var key = Convert.FromHexString(DefaultKey);
        var hostChallenge = Convert.FromHexString("A7F76C713F0A713D");
        var cardChallenge = Convert.FromHexString("31900058C1C451A2");

        using var session = Scp03.DeriveSessionKeys(key, key, hostChallenge, cardChallenge);

        Assert.Equal("258A78866F41482BEF482DC8CA976CCD", Hex.Encode(session.SEnc));
        Assert.Equal("053DB6ABC7FDF3B63A0D965EE16B0255", Hex.Encode(session.SMac));
        Assert.Equal("EDA0B4F2EC0345BFC50F3BC59CFEF936", Hex.Encode(session.SRmac));
    }

    // kaoh/globalplatform globalplatform/src/scp03Test.c, mutual_auth (i=70, security level 03): INITIALIZE UPDATE
    // 80500000089BD6BF878FB8E99100, response 00000000000000000000 30 03 70 3C80C2CC87EB3A35 E4EDBA35E629C336 00001E,
    // session keys and EXTERNAL AUTHENTICATE 848203001023EBFEDC579D22CDCDB6A25A5FF7891F as asserted there.
    [Fact]
    public void Authentication_KaohMutualAuthTrace_ReproducesEveryPublishedValue()
    {
        var enc = Convert.FromHexString(KaohEnc);
        var mac = Convert.FromHexString(KaohMac);
        var hostChallenge = Convert.FromHexString("9BD6BF878FB8E991");
        var sequenceCounter = Convert.FromHexString("00001E");
        var aid = Convert.FromHexString(IsdAid);

        var cardChallenge = Scp03.PseudoRandomCardChallenge(enc, sequenceCounter, aid);
        using var session = Scp03.DeriveSessionKeys(enc, mac, hostChallenge, cardChallenge);
        var cardCryptogram = Scp03.CardCryptogram(session.SMac, hostChallenge, cardChallenge);
        var hostCryptogram = Scp03.HostCryptogram(session.SMac, hostChallenge, cardChallenge);
        var command = Scp03.ExternalAuthenticateCommand(session.SMac, hostCryptogram, 0x03);

        Assert.Equal("3C80C2CC87EB3A35", Hex.Encode(cardChallenge));
        Assert.Equal("D83EE38C9954C8078987A5E9EE6AB13C", Hex.Encode(session.SEnc));
        Assert.Equal("6FF37716E0413065E8DFD08BF1E9EC5E", Hex.Encode(session.SMac));
        Assert.Equal("0254C786E57ACA8982670C1C1A05FF12", Hex.Encode(session.SRmac));
        Assert.Equal("E4EDBA35E629C336", Hex.Encode(cardCryptogram));
        Assert.Equal("848203001023EBFEDC579D22CDCDB6A25A5FF7891F", Hex.Encode(command));
    }

    // kaoh/globalplatform globalplatform/src/scp03Test.c, delete_application (i=70, security level 03): host challenge
    // B2BDE1A2DC66BD56, response 00000000000000000000 30 03 70 C40932A6FEFEAEB2 E127185170F45FCA 000015,
    // EXTERNAL AUTHENTICATE 848203001059D54D932423D29F6313C970875F8C2F.
    [Fact]
    public void Authentication_KaohDeleteTrace_ReproducesEveryPublishedValue()
    {
        var enc = Convert.FromHexString(KaohEnc);
        var mac = Convert.FromHexString(KaohMac);
        var hostChallenge = Convert.FromHexString("B2BDE1A2DC66BD56");
        var sequenceCounter = Convert.FromHexString("000015");
        var aid = Convert.FromHexString(IsdAid);

        var cardChallenge = Scp03.PseudoRandomCardChallenge(enc, sequenceCounter, aid);
        using var session = Scp03.DeriveSessionKeys(enc, mac, hostChallenge, cardChallenge);
        var cardCryptogram = Scp03.CardCryptogram(session.SMac, hostChallenge, cardChallenge);
        var hostCryptogram = Scp03.HostCryptogram(session.SMac, hostChallenge, cardChallenge);
        var command = Scp03.ExternalAuthenticateCommand(session.SMac, hostCryptogram, 0x03);

        Assert.Equal("C40932A6FEFEAEB2", Hex.Encode(cardChallenge));
        Assert.Equal("9B841BB63D1087484FF7F16802017243", Hex.Encode(session.SEnc));
        Assert.Equal("8117FE5ADED74AC0DAABE9FB81DBDB67", Hex.Encode(session.SMac));
        Assert.Equal("4521D75E4D6F60DBFB8AB4EE254EF6F1", Hex.Encode(session.SRmac));
        Assert.Equal("E127185170F45FCA", Hex.Encode(cardCryptogram));
        Assert.Equal("848203001059D54D932423D29F6313C970875F8C2F", Hex.Encode(command));
    }

    // kaoh/globalplatform globalplatform/src/scp03Test.c, get_status (i=70): host challenge A6D40AEC55FE7986, response
    // 00000000000000000000 30 03 70 B6E362D0F90F8101 C34B7B21A7455320 000025,
    // EXTERNAL AUTHENTICATE 84820300103D958B36BB38AE5896A559345F81471A.
    [Fact]
    public void Authentication_KaohGetStatusTrace_ReproducesChallengeCryptogramAndCommand()
    {
        var enc = Convert.FromHexString(KaohEnc);
        var mac = Convert.FromHexString(KaohMac);
        var hostChallenge = Convert.FromHexString("A6D40AEC55FE7986");
        var sequenceCounter = Convert.FromHexString("000025");
        var aid = Convert.FromHexString(IsdAid);

        var cardChallenge = Scp03.PseudoRandomCardChallenge(enc, sequenceCounter, aid);
        using var session = Scp03.DeriveSessionKeys(enc, mac, hostChallenge, cardChallenge);
        var cardCryptogram = Scp03.CardCryptogram(session.SMac, hostChallenge, cardChallenge);
        var command = Scp03.ExternalAuthenticateCommand(session.SMac, Scp03.HostCryptogram(session.SMac, hostChallenge, cardChallenge), 0x03);

        Assert.Equal("B6E362D0F90F8101", Hex.Encode(cardChallenge));
        Assert.Equal("C34B7B21A7455320", Hex.Encode(cardCryptogram));
        Assert.Equal("84820300103D958B36BB38AE5896A559345F81471A", Hex.Encode(command));
    }

    // kaoh/globalplatform globalplatform/src/scp03Test.c, get_status_aes_192 (i=10, random card challenge, one AES-192
    // key for ENC, MAC and DEK): host challenge 4157115CAD7D2FE7, response 00008301A8186727A822 02 03 10
    // 726B1E22EED4F4BB AB21001BFD4B6F02 000012, EXTERNAL AUTHENTICATE 84820300109B126D1B1557297F3C06766CA9ACBD27.
    [Fact]
    public void Authentication_KaohAes192Trace_ReproducesCardCryptogramAndCommand()
    {
        var key = Convert.FromHexString("DE2A3629CBC24E8D8869E82C8B4C0D874D88166B6F8A1C12");
        var hostChallenge = Convert.FromHexString("4157115CAD7D2FE7");
        var cardChallenge = Convert.FromHexString("726B1E22EED4F4BB");

        using var session = Scp03.DeriveSessionKeys(key, key, hostChallenge, cardChallenge);
        var cardCryptogram = Scp03.CardCryptogram(session.SMac, hostChallenge, cardChallenge);
        var command = Scp03.ExternalAuthenticateCommand(session.SMac, Scp03.HostCryptogram(session.SMac, hostChallenge, cardChallenge), 0x03);

        Assert.Equal(24, session.SEnc.Length);
        Assert.Equal("AB21001BFD4B6F02", Hex.Encode(cardCryptogram));
        Assert.Equal("84820300109B126D1B1557297F3C06766CA9ACBD27", Hex.Encode(command));
    }

    [Theory]
    [InlineData("AES128_11")]
    [InlineData("AES128_03")]
    [InlineData("AES192_11")]
    [InlineData("AES256_11")]
    [InlineData("AES256_33")]
    public void Authentication_PysimCase_ReproducesCardCryptogramAndCommand(string caseName)
    {
        var vector = PysimCases[caseName];
        var enc = Convert.FromHexString(vector.Enc);
        var mac = Convert.FromHexString(vector.Mac);
        var hostChallenge = Convert.FromHexString(vector.Host);
        var cardChallenge = Convert.FromHexString(vector.Card);

        using var session = Scp03.DeriveSessionKeys(enc, mac, hostChallenge, cardChallenge);
        var cardCryptogram = Scp03.CardCryptogram(session.SMac, hostChallenge, cardChallenge);
        var hostCryptogram = Scp03.HostCryptogram(session.SMac, hostChallenge, cardChallenge);
        var command = Scp03.ExternalAuthenticateCommand(session.SMac, hostCryptogram, vector.Level);

        Assert.Equal(vector.Cryptogram, Hex.Encode(cardCryptogram));
        Assert.Equal(vector.Command, Hex.Encode(command));
    }

    [Fact]
    public void Dispose_SessionKeys_ZeroesAllKeys()
    {
        var key = Convert.FromHexString(DefaultKey);
        var session = Scp03.DeriveSessionKeys(key, key, new byte[8], new byte[8]);

        session.Dispose();

        Assert.All(session.SEnc, b => Assert.Equal(0, b));
        Assert.All(session.SMac, b => Assert.Equal(0, b));
        Assert.All(session.SRmac, b => Assert.Equal(0, b));
    }

    [Theory]
    [InlineData(7, 8, "host-challenge")]
    [InlineData(8, 16, "card-challenge")]
    public void DeriveSessionKeys_WrongChallengeLength_ThrowsNamingTheChallenge(int hostLength, int cardLength, string field)
    {
        var key = new byte[16];

        var error = Assert.Throws<CryptoInputException>(
            () => Scp03.DeriveSessionKeys(key, key, new byte[hostLength], new byte[cardLength]));

        Assert.Equal(field, error.Field);
    }

    [Theory]
    [InlineData(8, 16, "enc")]
    [InlineData(16, 20, "mac")]
    public void DeriveSessionKeys_KeyNotAes_ThrowsNamingTheKey(int encLength, int macLength, string field)
    {
        var error = Assert.Throws<CryptoInputException>(
            () => Scp03.DeriveSessionKeys(new byte[encLength], new byte[macLength], new byte[8], new byte[8]));

        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void PseudoRandomCardChallenge_TwoByteSequenceCounter_ThrowsForSequenceCounter()
    {
        var enc = new byte[16];

        var error = Assert.Throws<CryptoInputException>(
            () => Scp03.PseudoRandomCardChallenge(enc, new byte[2], Convert.FromHexString(IsdAid)));

        Assert.Equal("sequence-counter", error.Field);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(17)]
    public void PseudoRandomCardChallenge_AidOutsideFiveToSixteenBytes_ThrowsForApplicationAid(int aidLength)
    {
        var enc = new byte[16];

        var error = Assert.Throws<CryptoInputException>(
            () => Scp03.PseudoRandomCardChallenge(enc, new byte[3], new byte[aidLength]));

        Assert.Equal("application-aid", error.Field);
    }

    [Fact]
    public void CardCryptogram_TdesLengthSessionKey_ThrowsForSessionMacKey()
    {
        var error = Assert.Throws<CryptoInputException>(() => Scp03.CardCryptogram(new byte[8], new byte[8], new byte[8]));

        Assert.Equal("s-mac", error.Field);
    }

    [Theory]
    [InlineData(0x02)]
    [InlineData(0x31)]
    [InlineData(0x10)]
    public void ExternalAuthenticateCommand_UndefinedSecurityLevel_ThrowsForSecurityLevel(byte securityLevel)
    {
        var sMac = new byte[16];

        var error = Assert.Throws<CryptoInputException>(() => Scp03.ExternalAuthenticateCommand(sMac, new byte[8], securityLevel));

        Assert.Equal("security-level", error.Field);
    }
}
