namespace Ttp.Domain.KeyRequests;

/// <summary>
/// A TSM's request for one card's keys, as received (strings not yet validated: the service checks each and refuses
/// with <see cref="KeyDistributionFaultCode.InvalidRequest"/> naming the field). Hex in either case.
/// </summary>
/// <param name="SecurityDomainManagerUrl">Tag 5F50 as read from the card; optional; checked against the public URL when present.</param>
/// <param name="KeyDiversificationData">Tag CF value, 10 bytes hex; required.</param>
/// <param name="KeyInformationTemplate">Tag E0, whole TLV or its value, hex; required.</param>
/// <param name="SequenceCounter">Tag C1 value (2 bytes SCP02, 3 bytes SCP03) hex; optional; recorded.</param>
/// <param name="IssuerIdentificationNumber">Tag 42 value, hex; required.</param>
/// <param name="CardImageNumber">Tag 45 value, hex; optional; recorded.</param>
/// <param name="KeyVersionNumber">Which key set of E0; required when E0 lists several.</param>
/// <param name="KekIndex">Which of the calling TSM's KEKs wraps the answer; required.</param>
public sealed record KeyRequest(
    string? SecurityDomainManagerUrl,
    string? KeyDiversificationData,
    string? KeyInformationTemplate,
    string? SequenceCounter,
    string? IssuerIdentificationNumber,
    string? CardImageNumber,
    int? KeyVersionNumber,
    int? KekIndex);
