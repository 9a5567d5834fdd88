using Microsoft.AspNetCore.Identity;

namespace Ttp.Domain.Staff;

/// <summary>A member of the TTP's staff (ASP.NET Core Identity user stored by the domain's DbContext).</summary>
public sealed class StaffUser : IdentityUser<Guid>
{
    /// <summary>A disabled account cannot sign in; accounts are never deleted (the audit chain names them).</summary>
    public bool IsDisabled { get; set; }
}
