namespace Ttp.Cli;

/// <summary>The exit codes of <c>ttpctl</c>; scripts branch on them.</summary>
internal static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Success = 0;

    /// <summary>Something unexpected failed; the message says what, the log has the rest.</summary>
    public const int InternalError = 1;

    /// <summary>Bad input: an argument is missing, malformed or of the wrong length.</summary>
    public const int BadInput = 2;

    /// <summary>Refused by a rule: state, dual control, scope, separation of duties.</summary>
    public const int Refused = 3;

    /// <summary>The named TSM, key set, KEK or user does not exist.</summary>
    public const int NotFound = 4;

    /// <summary>Integrity failure: the audit chain is broken or an envelope does not open.</summary>
    public const int IntegrityFailure = 5;
}
