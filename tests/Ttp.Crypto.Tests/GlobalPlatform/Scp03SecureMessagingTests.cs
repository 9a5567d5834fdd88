using Ttp.Crypto.GlobalPlatform;

namespace Ttp.Crypto.Tests.GlobalPlatform;

// osmocom/pysim tests/unittests/test_globalplatform.py, SCP03_Test_AES128_11 and SCP03_Test_AES128_03 (KEYSET_AES128):
// the session's EXTERNAL AUTHENTICATE starts the MAC chain; get_eid_cmd is the first command after it and get_eid_rsp
// its answer (plain data || R-MAC at level 11).
public class Scp03SecureMessagingTests
{
    private static readonly byte[] Enc = Convert.FromHexString("000102030405060708090A0B0C0D0E0F");
    private static readonly byte[] Mac = Convert.FromHexString("101112131415161718191A1B1C1D1E1F");

    [Fact]
    public void CommandMacAndResponseMac_PysimAes128Level11_GivePublishedMacs()
    {
        using var session = Scp03.DeriveSessionKeys(Enc, Mac, Convert.FromHexString("B13E5F938FC108C4"), Convert.FromHexString("3EB51047495B249F"));
        var externalAuthenticate = Convert.FromHexString("84821100107D5F5826A993EBC89EEA24957FA0B3CE");

        var chain = Scp03SecureMessaging.CommandMac(session.SMac, new byte[16], externalAuthenticate.AsSpan(0, 13));
        var getEidMac = Scp03SecureMessaging.CommandMac(session.SMac, chain, Convert.FromHexString("84E291000EBF3E035C015A"));
        var rmac = Scp03SecureMessaging.ResponseMac(
            session.SRmac, getEidMac, Convert.FromHexString("BF3E125A10898821199000000000000000000000059000"));

        Assert.Equal("9EEA24957FA0B3CE", Hex.Encode(chain.AsSpan(0, 8)));
        Assert.Equal("558D036518A28297", Hex.Encode(getEidMac.AsSpan(0, 8)));
        Assert.Equal("971BE68992DBBDFA", Hex.Encode(rmac));
    }

    [Fact]
    public void DecryptCommandData_PysimAes128Level03FirstCommand_GivesPaddedGetEidData()
    {
        using var session = Scp03.DeriveSessionKeys(Enc, Mac, Convert.FromHexString("8E1552D0513C60F3"), Convert.FromHexString("30760CD2C47C1DD3"));

        var clear = Scp03SecureMessaging.DecryptCommandData(session.SEnc, 1, Convert.FromHexString("CA9C00F6713D79BC8BAA642BDFF51C3F"));

        Assert.Equal("BF3E035C015A80000000000000000000", Hex.Encode(clear));
    }

    // osmocom/pysim tests/unittests/test_globalplatform.py, AES-128 level 03: the host's side of the first command: the
    // GET EID data BF3E035C015A encrypts, with encryption counter 1, to the data field the trace sends.
    [Fact]
    public void EncryptCommandData_PysimAes128Level03FirstCommand_GivesTracedDataField()
    {
        using var session = Scp03.DeriveSessionKeys(Enc, Mac, Convert.FromHexString("8E1552D0513C60F3"), Convert.FromHexString("30760CD2C47C1DD3"));

        var encrypted = Scp03SecureMessaging.EncryptCommandData(session.SEnc, 1, Convert.FromHexString("BF3E035C015A"));

        Assert.Equal("CA9C00F6713D79BC8BAA642BDFF51C3F", Hex.Encode(encrypted));
    }

    [Fact]
    public void EncryptCommandData_EmptyData_ThrowsForData()
    {
        var error = Assert.Throws<CryptoInputException>(() => Scp03SecureMessaging.EncryptCommandData(new byte[16], 1, []));

        Assert.Equal("data", error.Field);
    }

    [Fact]
    public void DecryptCommandData_EightBytes_ThrowsForData()
    {
        var error = Assert.Throws<CryptoInputException>(() => Scp03SecureMessaging.DecryptCommandData(new byte[16], 1, new byte[8]));

        Assert.Equal("data", error.Field);
    }

    [Fact]
    public void CommandMac_ShortChainingValue_ThrowsForChainingValue()
    {
        var error = Assert.Throws<CryptoInputException>(() => Scp03SecureMessaging.CommandMac(new byte[16], new byte[8], new byte[5]));

        Assert.Equal("chaining-value", error.Field);
    }
}
