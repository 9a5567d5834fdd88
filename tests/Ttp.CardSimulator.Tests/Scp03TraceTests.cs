namespace Ttp.CardSimulator.Tests;

/// <summary>
/// The simulated card replays published SCP03 sessions (kaoh/globalplatform globalplatform/src/scp03Test.c): static
/// keys, KDD, KVN, <c>i</c> and counter from the trace; for <c>i</c> 70 and 10 the card challenge is the card's own
/// pseudo-random one (derived from the counter and the ISD AID A000000151000000), not injected.
/// </summary>
public sealed class Scp03TraceTests
{
    // scp03Test.c: sEnc, sMac and dek of delete_application, mutual_auth, get_status and get_status_enc_mac.
    private const string KaohEnc = "F995D0A069335C7DF42E590317FFEA6D";
    private const string KaohMac = "58563362EC5A4541ABCD32B34B1EAE7D";
    private const string KaohDek = "0A02A6D687406DCFA09DC70B3EDB7E38";

    private static SecureElement KaohCard(string counter) =>
        TestCards.Card(TestCards.Json("03", "70", "30", counter, KaohEnc, KaohMac, KaohDek));

    // scp03Test.c, get_status_enc_mac (i=70, security level 03): the third GET STATUS asks for the ISD (P1 80), and
    // the simulated ISD is the traced one, so the whole answer is the trace's.
    [Fact]
    public void Process_KaohGetStatusEncMacTrace_ReproducesIsdStatusAnswer()
    {
        using var card = KaohCard("000085");

        Assert.Equal("00000000000000000000300370A7EFE2BFDB3A27A6EAE3FF0EA0D175240000859000", card.Send("8050000008DA2390D378D94B0A00"));
        Assert.Equal("9000", card.Send("8482030010953EEC5B4A81BF393ADC2ADFD638827A"));

        // Load files (P1 20) and applications (P1 40): the simulated registry differs from the traced card's; each
        // command still moves the MAC chain and the encryption counter.
        Assert.Equal("E30D4F07A00000015153509F7001019000", card.Send("84F2200218705C4D16C7BAC5496AEE0ED9963222455472F3CFAC97BCCA00"));
        Assert.Equal("6A88", card.Send("84F240021834AF0FEDDAE7C07308600587E1B1E6EC87811520D9A6AAAD00"));
        Assert.Equal(
            "E3324F08A0000001510000009F70020F00C50382FC80C407A0000001515350CE020100CC08A000000151000000EA0580030080009000",
            card.Send("84F28002188D6CFE9EB359EACB9594D8EC161E45C10ED0138E34A10BF300"));
        Assert.Equal("6A88", card.Send("84F21002183D98B6DE9CBF3905EAE4FAF5E141C58DAB7013D1076745C700"));
    }

    // scp03Test.c, get_status_aes_192 (i=10, one AES-192 key for ENC, MAC and DEK, KDD 00008301A8186727A822, KVN 02):
    // the GET STATUS of load files is answered with the trace's bytes.
    [Fact]
    public void Process_KaohAes192Trace_ReproducesEveryAnswer()
    {
        const string key = "DE2A3629CBC24E8D8869E82C8B4C0D874D88166B6F8A1C12";
        using var card = TestCards.Card(TestCards.Json("03", "10", "02", "000012", key, key, key, "00008301A8186727A822"));

        Assert.Equal("00008301A8186727A822020310726B1E22EED4F4BBAB21001BFD4B6F020000129000", card.Send("80500000084157115CAD7D2FE700"));
        Assert.Equal("9000", card.Send("84820300109B126D1B1557297F3C06766CA9ACBD27"));
        Assert.Equal("E30D4F07A00000015153509F7001019000", card.Send("84F2200218110C222888859059700E5D42AD65F41299B0BFFC03BF79A800"));
    }

    // scp03Test.c, delete_application (i=70, level 03): the traced card deleted A00100015141434C (009000); the
    // simulated card has no such application, so 6A88 shows the C-MAC and the decrypted AID were accepted.
    [Fact]
    public void Process_KaohDeleteApplicationTrace_ReproducesInitializeUpdateAndAcceptsDelete()
    {
        using var card = KaohCard("000015");

        Assert.Equal("00000000000000000000300370C40932A6FEFEAEB2E127185170F45FCA0000159000", card.Send("8050000008B2BDE1A2DC66BD5600"));
        Assert.Equal("9000", card.Send("848203001059D54D932423D29F6313C970875F8C2F"));
        Assert.Equal("6A88", card.Send("84E400801829F06AEC3180B3EFE91FF662310B945DE0D5FE66AD67A5B6"));
    }

    // scp03Test.c, mutual_auth and get_status: INITIALIZE UPDATE and EXTERNAL AUTHENTICATE of two more sessions.
    [Theory]
    [InlineData("00001E", "80500000089BD6BF878FB8E99100", "000000000000000000003003703C80C2CC87EB3A35E4EDBA35E629C33600001E9000", "848203001023EBFEDC579D22CDCDB6A25A5FF7891F")]
    [InlineData("000025", "8050000008A6D40AEC55FE798600", "00000000000000000000300370B6E362D0F90F8101C34B7B21A74553200000259000", "84820300103D958B36BB38AE5896A559345F81471A")]
    public void Process_KaohMutualAuthenticationTrace_ReproducesBothAnswers(string counter, string initializeUpdate, string response, string externalAuthenticate)
    {
        using var card = KaohCard(counter);

        Assert.Equal(response, card.Send(initializeUpdate));
        Assert.Equal("9000", card.Send(externalAuthenticate));
        Assert.True(card.IsAuthenticated);
    }
}
