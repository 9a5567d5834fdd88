using Ttp.Domain;

namespace Ttp.Portal.Security;

/// <summary>The signed-in staff member's role does not allow the action (shown to them as a message, never a stack trace).</summary>
public sealed class AccessDeniedException(string message) : DomainException(message);
