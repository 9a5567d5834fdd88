namespace Ttp.Crypto.KeyBlocks;

/// <summary>
/// Why a TR-31 / ANSI X9.143 key block could not be wrapped or unwrapped. Each distinct check has its own value
/// so that callers (and tests) can tell the failures apart without reading messages.
/// </summary>
public enum Tr31Error
{
    /// <summary>
    /// The block holds a character that is not printable ASCII, or a field that must be uppercase hexadecimal (the
    /// encrypted key data, the MAC) holds another character (ANSI X9.143:2021 4, 6.1).
    /// </summary>
    InvalidCharacters = 1,

    /// <summary>
    /// The four-digit key block length (ANSI X9.143:2021 6.2, table 1) is not four decimal digits, disagrees with the
    /// actual length, the block is not a multiple of the cipher block size, or it is too short to hold a header,
    /// key data and MAC; on wrap, the block would exceed 9999 characters.
    /// </summary>
    LengthMismatch = 2,

    /// <summary>
    /// The version id (ANSI X9.143:2021 6.2, table 1) is not B or D. Versions A and C (key variant binding) are
    /// refused on input and never produced; any other version is unknown to this implementation.
    /// </summary>
    UnsupportedVersion = 3,

    /// <summary>
    /// The key block protection key does not fit the version: B needs a 16- or 24-byte TDES key, D a 16-, 24- or
    /// 32-byte AES key (ANSI X9.143:2021 7.2.2 and 7.2.1); on wrap, also a KBPK shorter than a key of its own algorithm
    /// that it is to protect.
    /// </summary>
    KbpkLengthInvalid = 4,

    /// <summary>
    /// A header field holds a value outside its alphabet: key usage, algorithm, mode of use, key version number,
    /// exportability or key context (ANSI X9.143:2021 6.2, 6.3.1 to 6.3.5); on wrap, also a key algorithm that the
    /// version cannot protect, or (with a <see cref="Tr31Wrapper"/>) a version other than the wrapper's.
    /// </summary>
    HeaderInvalid = 5,

    /// <summary>
    /// The optional blocks are malformed (ANSI X9.143:2021 6.3.6): the count is not two digits or disagrees with the
    /// blocks found, an id or length is malformed, a block runs past the header, the blocks do not end on a cipher
    /// block boundary, an id is repeated, PB is not last, a KC/KP block is malformed or uses a check-value algorithm not
    /// supported for the key.
    /// </summary>
    OptionalBlockInvalid = 6,

    /// <summary>The MAC computed with the derived authentication key differs from the MAC in the block (ANSI X9.143:2021 7): wrong KBPK or altered block.</summary>
    MacMismatch = 7,

    /// <summary>
    /// The decrypted key length field (ANSI X9.143:2021 7.3.1) is zero, not a whole number of bytes, longer than the
    /// key data, or not a valid length for the key algorithm (TDES 16/24, AES 16/24/32 bytes); on wrap, the key has
    /// a length its algorithm does not allow.
    /// </summary>
    KeyLengthInvalid = 8,

    /// <summary>A <c>KC</c> optional block (ANSI X9.143:2021 6.3.6.7) does not match the check value of the key (ANSI X9.24-1:2017 annex A).</summary>
    KeyCheckValueMismatch = 9,

    /// <summary>A <c>KP</c> optional block (ANSI X9.143:2021 6.3.6) does not match the check value of the key block protection key (ANSI X9.24-1:2017 annex A).</summary>
    KbpkCheckValueMismatch = 10,
}
