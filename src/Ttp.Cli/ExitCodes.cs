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
}
