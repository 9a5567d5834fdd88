using Ttp.Crypto;

namespace Ttp.CardSimulator.Tests;

/// <summary>
/// The simulated card replays the SCP03 sessions of osmocom/pysim tests/unittests/test_globalplatform.py
/// (SCP03_Test_AES128_11, _AES128_03, _AES256_11, _AES256_03): an eUICC whose ISD-R (AID
/// A0000005591010FFFFFFFF8900000100) uses i=70, so its card challenges are pseudo-random from that AID and the counter.
/// Each session: INITIALIZE UPDATE (whole answer), EXTERNAL AUTHENTICATE, then the trace's wrapped commands in order
/// (get_eid_cmd, case_1 to case_4; the C-MAC chain and encryption counter run through all of them).
/// </summary>
public sealed class PysimScp03TraceTests
{
    private const string IsdR = "A0000005591010FFFFFFFF8900000100";

    // KEYSET_AES128 and KEYSET_AES256 of test_globalplatform.py (ENC, MAC, DEK).
    private static readonly Dictionary<string, (string Kvn, string Enc, string Mac, string Dek)> KeySets = new()
    {
        ["AES128"] = ("30", "000102030405060708090A0B0C0D0E0F", "101112131415161718191A1B1C1D1E1F", "202122232425262728292A2B2C2D2E2F"),
        ["AES256"] = (
            "32",
            "000102030405060708090A0B0C0D0E0F000102030405060708090A0B0C0D0E0F",
            "101112131415161718191A1B1C1D1E1F101112131415161718191A1B1C1D1E1F",
            "202122232425262728292A2B2C2D2E2F202122232425262728292A2B2C2D2E2F"),
    };

    // init_upd_cmd, init_upd_rsp (answered with 9000), ext_auth_cmd, get_eid_cmd, case_1_apdu .. case_4_apdu.
    private static readonly Dictionary<string, string[]> Sessions = new()
    {
        ["AES128_11"] =
        [
            "AES128", "000002", "8050300008B13E5F938FC108C400", "000000000000000000003003703EB51047495B249F66C484C1D2EF1948000002",
            "84821100107D5F5826A993EBC89EEA24957FA0B3CE", "84E291000EBF3E035C015A558D036518A2829700",
            "84F220020863A63F8959827FB2", "84CA006608A0C6A4A74166F7CE00", "84F22002124F0212345C054F9F70C52249B50272656536", "84F280020A4F00E91443F6DCE6B8ED00",
        ],
        ["AES128_03"] =
        [
            "AES128", "000001", "80503000088E1552D0513C60F300", "0000000000000000000030037030760CD2C47C1DD395065FE5EAD8A9D7000001",
            "8482030010FD4721A14D9B07003C451D2F8AE6BB21", "84E2910018CA9C00F6713D79BC8BAA642BDFF51C3F6A4082D3BD9AD26C00",
            "84F2200208C9811B11F1264CF1", "84CA006608E10AB60B3054798800", "84F22002184E2908BDB48B2315A55482E9E936CA122D6ECFAE7D17416E", "84F28002180DD10A6B6193E5340B9E77D32D5A179CD710AC2773AEFB2800",
        ],
        ["AES256_11"] =
        [
            "AES256", "000003", "805032000811666D57866C6F5400", "0000000000000000000032037053EA8847EFA7674E41498A4D66CF0DEE000003",
            "84821100102F2AD190EFF2FAFC4908996D1CEBD310", "84E291000EBF3E035C015AF4B680372542B59D00",
            "84F2200208D618B7DA68D5FE52", "84CA0066088F3E055DB23AD5E500", "84F22002124F0212345C054F9F70C5B6E15CC42404915E", "84F280020A4F00AA124AA74AFE7F7500",
        ],
        ["AES256_03"] =
        [
            "AES256", "000001", "8050320008C6066990FC426E1D00", "000000000000000000003203708682CD81BBD8919F2DE3F2664581F118000001",
            "848203001077C493B632EDADAF865A1E64ACC07CE9", "84E29100183DDAA60594963BEFAADA3525B492EDE23C2AB2C1CE3AFE4400",
            "84F2200208480DDC8E419DA38D", "84CA0066083E9D6A6C0B2D732000", "84F22002183EBFEF2DA8B04AF2A85F491F299B76973DF76FF08A4031BE", "84F2800218783FFF80990F5585B1055010EA95094A26E4A8F1EF4B18E100",
        ],
    };

    [Theory]
    [InlineData("AES128_11")]
    [InlineData("AES128_03")]
    [InlineData("AES256_11")]
    [InlineData("AES256_03")]
    public void Process_PysimSession_ReproducesInitializeUpdateAndAcceptsEveryCommand(string session)
    {
        var trace = Sessions[session];
        var keys = KeySets[trace[0]];
        using var card = TestCards.Card(TestCards.Json("03", "70", keys.Kvn, trace[1], keys.Enc, keys.Mac, keys.Dek, isdAid: IsdR));
        var rmac = session.EndsWith("_11", StringComparison.Ordinal);

        Assert.Equal(trace[3] + "9000", card.Send(trace[2]));
        Assert.Equal("9000", card.Send(trace[4]));

        // STORE DATA (get EID) is an eUICC command the simulated ISD does not have: refused after its C-MAC checked.
        Assert.Equal("6D00", card.Send(trace[5]));

        // case 1: GET STATUS without search criteria (the simulated card wants 4F): 6A80, no R-MAC on an error.
        Assert.Equal("6A80", card.Send(trace[6]));

        // case 2: GET DATA 66, answered with its data (and an R-MAC at level 11).
        var cardData = CardDataEncoder.GetData(card.Card, 0x66)!;
        var answer = card.Process(Convert.FromHexString(trace[7]));
        Assert.Equal(Hex.Encode(cardData), Hex.Encode(answer.AsSpan(0, cardData.Length)));
        Assert.Equal(cardData.Length + (rmac ? 8 : 0) + 2, answer.Length);

        // case 3: GET STATUS 4F021234 5C054F9F70C5: the tag list 5C declares 5 bytes and carries 4, so the data is not
        // BER-TLV (6A80). case 4: GET STATUS of the ISD (the ISD-R here), which decrypts only with the right counter.
        Assert.Equal("6A80", card.Send(trace[8]));
        var isd = card.Process(Convert.FromHexString(trace[9]));
        Assert.StartsWith("E3424F10" + IsdR, Hex.Encode(isd), StringComparison.Ordinal);
        Assert.Equal("9000", Hex.Encode(isd.AsSpan(isd.Length - 2)));
        Assert.True(card.IsAuthenticated);
    }
}
