using Ttp.Domain.Tsms;

namespace Ttp.Portal.Accreditation;

/// <summary>A certificate file the operator chose, with what the domain found in it (null content: none chosen yet).</summary>
public sealed record UploadedCertificate(byte[] Content, CertificatePreview Preview);
