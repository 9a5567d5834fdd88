using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Domain.Staff;

namespace Ttp.Portal.Tests.Account;

/// <summary>The setup form: Identity's password rules stated up front, a refusal on the field in our words, the address kept, the password never sent back.</summary>
public sealed partial class SetupFormTests
{
    [Fact]
    public async Task Setup_PasswordAgainstRules_RefusedOnTheFieldAddressKeptPasswordNotEchoed()
    {
        using var host = new PortalHost();
        using var browser = host.CreateBrowser();
        var line = Assert.Single(host.Log.Lines, l => l.Message.Contains("/setup?token=", StringComparison.Ordinal));
        var link = new Uri(Link().Match(line.Message).Value);
        var form = await browser.GetPageAsync(link.PathAndQuery);
        Assert.Contains("At least 12 characters, with a lower-case letter, an upper-case letter, a digit and a symbol (a character that is neither a letter nor a digit, such as - or !).", form.Html, StringComparison.Ordinal);

        var refused = await browser.SubmitAsync(link.PathAndQuery, form, new Dictionary<string, string>
        {
            ["Input.Email"] = "first.admin@ttp.test",
            ["Input.Password"] = "aaaaaaaaaaaa",
            ["Input.ConfirmPassword"] = "aaaaaaaaaaaa",
        });

        Assert.StartsWith("/setup", refused.Path, StringComparison.Ordinal);
        var fieldError = FieldError().Match(refused.Html);
        Assert.True(fieldError.Success, "the refusal is shown under the password field");
        Assert.Contains("Add an upper-case letter.", fieldError.Value, StringComparison.Ordinal);
        Assert.Contains("Add a digit.", fieldError.Value, StringComparison.Ordinal);
        Assert.Contains("Add a symbol (a character that is neither a letter nor a digit).", fieldError.Value, StringComparison.Ordinal);
        Assert.DoesNotContain("Passwords must", refused.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("aaaaaaaaaaaa", refused.Html, StringComparison.Ordinal);
        Assert.Contains("value=\"first.admin@ttp.test\"", refused.Html, StringComparison.Ordinal);
        await using var scope = host.Services.CreateAsyncScope();
        Assert.Empty(await scope.ServiceProvider.GetRequiredService<StaffService>().ListAsync());

        // The link still works: the same form with a password that meets the rules creates the Administrator.
        var created = await browser.SubmitAsync(link.PathAndQuery, refused, new Dictionary<string, string>
        {
            ["Input.Email"] = "first.admin@ttp.test",
            ["Input.Password"] = PortalHost.StaffPassword,
            ["Input.ConfirmPassword"] = PortalHost.StaffPassword,
        });
        Assert.StartsWith("/account/login", created.Path, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"https://\S+/setup\?token=[A-Za-z0-9_-]+")]
    private static partial Regex Link();

    [GeneratedRegex(@"<div[^>]*class=""[^""]*ttp-account-error[^""]*""[^>]*>.*?</div>|<div class=""ttp-account-error[^""]*""[^>]*>.*?</div>", RegexOptions.Singleline)]
    private static partial Regex FieldError();
}
