namespace Ttp.Domain.KeyRequests;

/// <summary>
/// A key request was refused: the fault code, a message for humans (never key material) and the request id under
/// which the refusal was audited.
/// </summary>
public sealed class KeyRequestRefusedException(KeyDistributionFaultCode code, string message, Guid requestId)
    : DomainException(message)
{
    public KeyDistributionFaultCode Code { get; } = code;

    public Guid RequestId { get; } = requestId;
}
