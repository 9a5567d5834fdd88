namespace Ttp.Domain.Audit;

/// <summary>The two streams of the one audit chain (docs/DESIGN.md section 6).</summary>
public enum AuditStream
{
    /// <summary>Staff actions: sign-in, accreditation, ceremonies, key state changes, users, exports, CLI commands.</summary>
    StaffAction = 1,

    /// <summary>Key requests from TSMs, with their outcome.</summary>
    KeyRequest = 2,
}
