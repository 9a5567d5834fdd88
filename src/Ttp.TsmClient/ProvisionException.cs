namespace Ttp.TsmClient;

/// <summary>
/// A step of <c>ttp-tsm provision</c> failed: the step's name, the exit code of its kind of failure and a reason for a
/// person. Never carries key material.
/// </summary>
internal sealed class ProvisionException(string step, int exitCode, string reason) : Exception(reason)
{
    /// <summary>The step that failed (<c>card</c>, <c>ttp</c>, <c>unwrap</c>, <c>channel</c>, <c>put-key</c>, <c>verify</c>, ...).</summary>
    public string Step { get; } = step;

    /// <summary>The process exit code (<see cref="ExitCodes"/>).</summary>
    public int ExitCode { get; } = exitCode;
}
