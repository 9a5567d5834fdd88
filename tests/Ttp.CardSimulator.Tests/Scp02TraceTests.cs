namespace Ttp.CardSimulator.Tests;

/// <summary>
/// The simulated card replays published SCP02 sessions: personalised with the trace's static keys, KDD and counter,
/// its card challenge taken from the trace, it must answer the trace's INITIALIZE UPDATE with the trace's bytes and
/// accept the trace's EXTERNAL AUTHENTICATE and C-MACed (and C-DECRYPTION) commands.
/// </summary>
public sealed class Scp02TraceTests
{
    // kaoh/globalplatform globalplatform/src/scp02Test.c: both tests use OPGP_VISA_DEFAULT_KEY for ENC, MAC and DEK,
    // GP211_SCP02_IMPL_i15, and a card whose INITIALIZE UPDATE answer starts with KDD 000074746E6E6E626262, KVN 01.
    private const string KaohKdd = "000074746E6E6E626262";

    // kaoh/globalplatform globalplatform/src/scp02Test.c, get_status_mac_only (security level 01).
    [Fact]
    public void Process_KaohGetStatusMacOnlyTrace_ReproducesInitializeUpdateAndAcceptsCommands()
    {
        using var card = TestCards.Card(
            TestCards.Json("02", "15", "01", "069F", TestCards.DefaultKey, TestCards.DefaultKey, TestCards.DefaultKey, KaohKdd),
            "AA2A0591E733");

        Assert.Equal("000074746E6E6E6262620102069FAA2A0591E73367DD78794D04315E9000", card.Send("8050000008D5AD539A60CA5E7200"));
        Assert.Equal("9000", card.Send("84820100107C799B3C771DBAE6BEF49310977617BA"));

        // GET STATUS of the load files, C-MAC with the encrypted ICV. The traced card listed its own load files; the
        // simulated card holds the ISD's load file only, so the answer is its entry (a MAC failure would be 6982).
        Assert.Equal("E30D4F07A00000015153509F7001019000", card.Send("84F220020A4F00BB6E71C0EFCFCF0D00"));
        Assert.True(card.IsAuthenticated);
    }

    // kaoh/globalplatform globalplatform/src/scp02Test.c, install_mac_enc (security level 03, C-MAC and C-DECRYPTION).
    [Fact]
    public void Process_KaohInstallMacEncTrace_ReproducesInitializeUpdateAndDeleteAnswer()
    {
        using var card = TestCards.Card(
            TestCards.Json("02", "15", "01", "06A1", TestCards.DefaultKey, TestCards.DefaultKey, TestCards.DefaultKey, KaohKdd),
            "5086BBEE58F4");

        Assert.Equal("000074746E6E6E626262010206A15086BBEE58F467149061DA4B6EAE9000", card.Send("8050000008EBAA9E53C696281B00"));
        Assert.Equal("9000", card.Send("848203001005814C116071EB67D8BA9D9879454564"));

        // First DELETE (AID D0D1D2D3D4D50101, encrypted and C-MACed): the traced card answered 6A88, so does this one.
        Assert.Equal("6A88", card.Send("84E4008018BC146FA0403BE4BAD3BC089E4ABD8674DA7EFEA21047B85800"));

        // Second DELETE (D0D1D2D3D4D501): the traced card deleted it (009000); the simulated card has no such
        // application, so 6A88 shows the chained C-MAC and the decryption were accepted (else 6982 or 6A80).
        Assert.Equal("6A88", card.Send("84E4008018C2748C1669FAFC0E20C5253680388A4A49C9A6038D77B45700"));
        Assert.True(card.IsAuthenticated);
    }

    // The same trace with one bit of the DELETE's C-MAC flipped: the card refuses it and ends the session.
    [Fact]
    public void Process_KaohInstallTraceWithCorruptedMac_Answers6982AndClosesChannel()
    {
        using var card = TestCards.Card(
            TestCards.Json("02", "15", "01", "06A1", TestCards.DefaultKey, TestCards.DefaultKey, TestCards.DefaultKey, KaohKdd),
            "5086BBEE58F4");
        card.Send("8050000008EBAA9E53C696281B00");
        card.Send("848203001005814C116071EB67D8BA9D9879454564");

        Assert.Equal("6982", card.Send("84E4008018BC146FA0403BE4BAD3BC089E4ABD8674DA7EFEA21047B85900"));
        Assert.False(card.IsAuthenticated);
    }
}
