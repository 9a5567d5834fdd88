namespace Ttp.Domain.Backup;

/// <summary>
/// A backup or restore that could not be completed for a reason outside the rules (a file that cannot be read or
/// written, <c>pg_dump</c> or <c>pg_restore</c> failing); the message names what failed and that nothing half-written
/// was kept. The CLI's exit code 1.
/// </summary>
public sealed class BackupOperationException(string message) : DomainException(message);
