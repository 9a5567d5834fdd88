using Microsoft.AspNetCore.Identity;
using Ttp.Domain.Staff;

namespace Ttp.Domain.Tests.Staff;

/// <summary>The password rules as stated on the forms, from Identity's options.</summary>
public sealed class StaffPasswordRulesTests
{
    [Fact]
    public void Describe_IdentityDefaultsWithLength12_EveryRuleNamed()
    {
        var text = StaffPasswordRules.Describe(new PasswordOptions { RequiredLength = 12 });

        Assert.Equal("At least 12 characters, with a lowercase letter, an uppercase letter, a digit and a symbol (neither letter nor digit).", text);
    }

    [Fact]
    public void Describe_LengthOnly_OneClause()
    {
        var options = new PasswordOptions { RequiredLength = 16, RequireDigit = false, RequireLowercase = false, RequireUppercase = false, RequireNonAlphanumeric = false };

        Assert.Equal("At least 16 characters.", StaffPasswordRules.Describe(options));
    }
}
