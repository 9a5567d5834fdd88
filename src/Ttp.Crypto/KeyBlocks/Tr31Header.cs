namespace Ttp.Crypto.KeyBlocks;

/// <summary>
/// The typed fields of a TR-31 / ANSI X9.143 key block header (ANSI X9.143:2021 6.2, table 1, and 6.3). The key block length
/// and the number of optional blocks are not fields here: <see cref="Tr31KeyBlock.Wrap"/> computes them and
/// <see cref="Tr31KeyBlock.Unwrap"/> checks them.
/// </summary>
public sealed record Tr31Header
{
    /// <summary>Key block version id (ANSI X9.143:2021 6.2): <c>B</c> (TDES KBPK) or <c>D</c> (AES KBPK).</summary>
    public required char Version { get; init; }

    /// <summary>Key usage, two characters (ANSI X9.143:2021 6.3.1), e.g. <c>P0</c> PIN encryption, <c>K0</c> key encryption.</summary>
    public required string KeyUsage { get; init; }

    /// <summary>Algorithm of the wrapped key (ANSI X9.143:2021 6.3.2): <c>T</c> TDES, <c>A</c> AES, <c>H</c> HMAC, <c>R</c> RSA, <c>E</c> EC, ...</summary>
    public required char Algorithm { get; init; }

    /// <summary>Mode of use (ANSI X9.143:2021 6.3.3), e.g. <c>E</c> encrypt/wrap only, <c>B</c> both, <c>N</c> no restriction.</summary>
    public required char ModeOfUse { get; init; }

    /// <summary>Key version number, two characters (ANSI X9.143:2021 6.3.4); <c>00</c> when key versioning is not used.</summary>
    public string KeyVersionNumber { get; init; } = "00";

    /// <summary>Exportability (ANSI X9.143:2021 6.3.5): <c>E</c> exportable under a trusted key, <c>N</c> not exportable, <c>S</c> sensitive.</summary>
    public required char Exportability { get; init; }

    /// <summary>
    /// Key context (<c>0</c> either, <c>1</c> storage, <c>2</c> exchange) followed by the reserved <c>0</c>
    /// (ANSI X9.143:2021 6.2, table 1); usually <c>00</c>.
    /// </summary>
    public string KeyContext { get; init; } = "00";

    /// <summary>
    /// Optional blocks in header order (ANSI X9.143:2021 6.3.6), without the <c>PB</c> padding block: wrap adds it
    /// when needed and unwrap leaves it out.
    /// </summary>
    public IReadOnlyList<Tr31OptionalBlock> OptionalBlocks { get; init; } = [];

    /// <summary>The first optional block with id <paramref name="id"/>, or <see langword="null"/>.</summary>
    /// <param name="id">A two-character block id such as <see cref="Tr31OptionalBlock.KeyCheckValueId"/>.</param>
    public Tr31OptionalBlock? FindOptionalBlock(string id)
    {
        foreach (var block in OptionalBlocks)
        {
            if (string.Equals(block.Id, id, StringComparison.Ordinal))
            {
                return block;
            }
        }

        return null;
    }
}
