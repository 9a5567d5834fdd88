using Ttp.Domain.KeyRequests;

namespace Ttp.Domain.Tests.Upgrade;

/// <summary>A TSM the previous release accredited: its row, its certificate's row, and the caller that certificate makes.</summary>
internal sealed record LegacyTsm(Guid Id, string Name, Guid CertificateId, KeyRequestCaller Caller);
