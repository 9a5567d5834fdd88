namespace Ttp.CardSimulator;

/// <summary>The persistent (EEPROM) state of the simulated card: identity, counter and key sets. Held in memory only.</summary>
public sealed class CardState : IDisposable
{
    public CardState(CardProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        IsdAid = profile.IsdAid;
        Iin = profile.Iin;
        Cin = profile.Cin;
        Kdd = profile.Kdd;
        SecurityDomainManagerUrl = profile.SecurityDomainManagerUrl;
        SequenceCounter = profile.SequenceCounter;
        KeySets = profile.KeySets;
        Scp = KeySets[0].Scp;
    }

    /// <summary>The AID of the Issuer Security Domain.</summary>
    public byte[] IsdAid { get; }

    public byte[] Iin { get; }

    public byte[] Cin { get; }

    public byte[] Kdd { get; }

    public string SecurityDomainManagerUrl { get; }

    /// <summary>The protocol of all key sets of the card.</summary>
    public ScpVersion Scp { get; }

    /// <summary>The counter the next INITIALIZE UPDATE uses.</summary>
    public int SequenceCounter { get; set; }

    /// <summary>The key sets; the first is the default (KVN 00 in INITIALIZE UPDATE).</summary>
    public List<CardKeySet> KeySets { get; }

    /// <summary>The key set with this KVN, the default one for 00, or <see langword="null"/>.</summary>
    public CardKeySet? FindKeySet(byte keyVersion) =>
        keyVersion == 0 ? KeySets[0] : KeySets.Find(k => k.KeyVersion == keyVersion);

    public void Dispose()
    {
        foreach (var keySet in KeySets)
        {
            keySet.Dispose();
        }
    }
}
