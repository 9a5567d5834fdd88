namespace Ttp.TsmClient.Card;

/// <summary>
/// What the TSM reads from the card's Issuer Security Domain before asking the TTP for its keys (step 2 of the scheme):
/// the values of the data objects, as the key request carries them.
/// </summary>
internal sealed record CardInfo
{
    public required byte[] IsdAid { get; init; }

    /// <summary>Tag <c>CF</c>: the key diversification data (10 bytes).</summary>
    public required byte[] Kdd { get; init; }

    /// <summary>Tag <c>E0</c>: the whole key information template.</summary>
    public required byte[] KeyInformationTemplate { get; init; }

    /// <summary>Tag <c>42</c>: the issuer identification number.</summary>
    public required byte[] Iin { get; init; }

    /// <summary>Tag <c>45</c>, when the card has it.</summary>
    public byte[]? Cin { get; init; }

    /// <summary>Tag <c>C1</c>, when the card has it.</summary>
    public byte[]? SequenceCounter { get; init; }

    /// <summary>Tag <c>5F50</c>, when the card has it: the URL of the TTP that holds the card's issuer keys.</summary>
    public string? SecurityDomainManagerUrl { get; init; }

    /// <summary>The secure channel protocol (2 or 3) and its option <c>i</c>, from the card data (<c>66</c>).</summary>
    public required int Scp { get; init; }

    public required byte ScpOption { get; init; }

    /// <summary>The key set the TSM opens: its KVN and the length of its keys.</summary>
    public required byte KeyVersion { get; init; }

    public required int KeyLength { get; init; }

    /// <summary>Every key version number the key information template lists.</summary>
    public required IReadOnlyList<byte> KeyVersions { get; init; }
}
