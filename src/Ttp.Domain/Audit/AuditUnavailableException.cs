namespace Ttp.Domain.Audit;

/// <summary>
/// The audit chain could not be written (database down, disk full, audit key unavailable, writer stopped), so the
/// operation that needed the record must not go ahead: the SOAP edge answers <c>ServiceUnavailable</c> and releases no
/// key. Not a <see cref="DomainException"/>: nothing about the request was wrong. The message is generic; the cause is
/// in <see cref="Exception.InnerException"/> for the log.
/// </summary>
public sealed class AuditUnavailableException : Exception
{
    /// <summary>With the default message.</summary>
    public AuditUnavailableException()
        : base("The audit chain is unavailable; nothing was done.")
    {
    }

    /// <summary>With <paramref name="message"/>.</summary>
    public AuditUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>With <paramref name="message"/> and the failure that caused it.</summary>
    public AuditUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
