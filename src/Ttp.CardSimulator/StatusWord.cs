namespace Ttp.CardSimulator;

/// <summary>The ISO/IEC 7816-4 and GlobalPlatform status words the simulated card answers (GlobalPlatform Card Specification 2.3.1, 11.1.3 and the tables of each command).</summary>
public static class StatusWord
{
    /// <summary>Normal processing.</summary>
    public const ushort Success = 0x9000;

    /// <summary>Authentication of the host cryptogram failed (EXTERNAL AUTHENTICATE).</summary>
    public const ushort AuthenticationFailed = 0x6300;

    /// <summary>Wrong length (Lc or the APDU's own structure).</summary>
    public const ushort WrongLength = 0x6700;

    /// <summary>Security status not satisfied: no secure channel, or a C-MAC or secure messaging check failed.</summary>
    public const ushort SecurityStatusNotSatisfied = 0x6982;

    /// <summary>Conditions of use not satisfied (e.g. EXTERNAL AUTHENTICATE without INITIALIZE UPDATE).</summary>
    public const ushort ConditionsNotSatisfied = 0x6985;

    /// <summary>Incorrect values in the command data (e.g. a key check value that does not match).</summary>
    public const ushort IncorrectData = 0x6A80;

    /// <summary>Application (AID) not found (SELECT).</summary>
    public const ushort FileNotFound = 0x6A82;

    /// <summary>Incorrect P1 or P2.</summary>
    public const ushort IncorrectP1P2 = 0x6A86;

    /// <summary>Referenced data not found (unknown key version, data object or registry entry).</summary>
    public const ushort ReferencedDataNotFound = 0x6A88;

    /// <summary>Instruction not supported.</summary>
    public const ushort InstructionNotSupported = 0x6D00;

    /// <summary>Class not supported.</summary>
    public const ushort ClassNotSupported = 0x6E00;
}
