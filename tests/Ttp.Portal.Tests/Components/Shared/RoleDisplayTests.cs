using Ttp.Domain.Staff;
using Ttp.Portal.Staff;

namespace Ttp.Portal.Tests.Components.Shared;

/// <summary>Staff roles in words.</summary>
public sealed class RoleDisplayTests
{
    [Theory]
    [InlineData(StaffRoles.Administrator, "Administrator")]
    [InlineData(StaffRoles.Operator, "Operator")]
    [InlineData(StaffRoles.SecurityOfficer, "Security officer")]
    [InlineData(StaffRoles.KeyCustodian, "Key custodian")]
    [InlineData(StaffRoles.Auditor, "Auditor")]
    [InlineData("ReleaseManager", "Release manager")]
    public void Text_Role_Words(string role, string words) => Assert.Equal(words, RoleDisplay.Text(role));

    [Fact]
    public void Text_EveryRoleOfTheDomain_WordsDifferFromTheCodeWhereItHasCapitalsInside() =>
        Assert.All(StaffRoles.All, r => Assert.DoesNotMatch("[a-z][A-Z]", RoleDisplay.Text(r)));

    [Fact]
    public void List_Roles_CommaSeparatedInOrder() =>
        Assert.Equal("Security officer, Auditor", RoleDisplay.List([StaffRoles.SecurityOfficer, StaffRoles.Auditor]));
}
