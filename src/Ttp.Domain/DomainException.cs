namespace Ttp.Domain;

/// <summary>
/// A domain rule or lookup failed. Each edge translates the subtype once (CLI exit code, SOAP fault, snackbar);
/// messages are for humans and never hold key material.
/// </summary>
public abstract class DomainException(string message) : Exception(message);

/// <summary>Input that is malformed for the domain (a certificate that is not PEM or DER, an unknown role): CLI exit 2.</summary>
public sealed class DomainInputException(string message) : DomainException(message);

/// <summary>Refused by a rule: state, dual control, scope, separation of duties: CLI exit 3.</summary>
public sealed class RuleViolationException(string message) : DomainException(message);

/// <summary>The named record does not exist: CLI exit 4.</summary>
public sealed class NotFoundException(string message) : DomainException(message);

/// <summary>Stored data failed an integrity check (an envelope that does not open, a broken audit chain): CLI exit 5.</summary>
public sealed class IntegrityException(string message) : DomainException(message);
