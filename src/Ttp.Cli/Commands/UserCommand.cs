using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Domain.Staff;

namespace Ttp.Cli.Commands;

/// <summary>
/// <c>ttpctl user add</c>: create a staff account with a password (the host operator's bootstrap and automation);
/// <c>ttpctl user invite</c>: invite a staff member, who sets their own password through the enrolment link printed once.
/// </summary>
internal static class UserCommand
{
    /// <summary>The configuration key of the portal's address for enrolment links (<c>--base-url</c> overrides it).</summary>
    public const string PortalUrlKey = "Ttp:Cli:PortalUrl";

    public static Command Create(CliOutput output, TextReader stdin)
    {
        var email = AdminCommands.Required("--email", "The staff member's e-mail (sign-in name).", "EMAIL");
        var role = AdminCommands.Choice("--role", "The role.", true, [.. StaffRoles.All]);
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of standard input (required).", Required = true };
        var add = new Command("add", "Create a staff account with one role and a first password you choose, changed at its first sign-in (bootstrap; otherwise invite).") { email, role, passwordStdin };
        add.SetServiceAction(async (parse, services, cancellationToken) =>
        {
            var password = await stdin.ReadLineAsync(cancellationToken);
            if (string.IsNullOrEmpty(password))
            {
                throw new CliUsageException("--password-stdin: no password on standard input");
            }

            // Someone other than the staff member may have chosen it: the portal lets the account only change it first.
            var user = await services.GetRequiredService<StaffService>()
                .AddAsync(parse.GetRequiredValue(email), [parse.GetRequiredValue(role)], password, CliServices.CurrentActor, passwordChangeRequired: true, cancellationToken);
            output.WriteJson(new { user.Email, Role = StaffRoles.Find(parse.GetRequiredValue(role)) });
            return ExitCodes.Success;
        });

        return new Command("user", "Staff accounts.") { add, Invite(output) };
    }

    private static Command Invite(CliOutput output)
    {
        var email = new Argument<string>("EMAIL") { Description = "The invitee's e-mail address (their sign-in name)." };
        var roles = new Option<string[]>("--role") { Description = $"A role ({string.Join(", ", StaffRoles.All)}); repeat for more.", Required = true, HelpName = "ROLE" };
        var baseUrl = new Option<string>("--base-url")
        {
            Description = $"The portal's address as staff reach it, e.g. https://ttp.example:7443, to print the whole link (default: {PortalUrlKey}).",
            HelpName = "URL",
        };
        var invite = new Command("invite", "Invite a staff member: prints their one-time enrolment link (72 h), once; they set their own password there.")
        {
            email, roles, baseUrl,
        };
        invite.SetServiceAction(async (parse, services, cancellationToken) =>
        {
            var portal = PortalUrl(parse.GetValue(baseUrl), services.GetRequiredService<IConfiguration>()[PortalUrlKey]);
            var issued = await services.GetRequiredService<StaffInvitationService>()
                .InviteAsync(parse.GetRequiredValue(email), parse.GetValue(roles) ?? [], CliServices.CurrentActor, cancellationToken);
            var invitation = issued.Invitation;
            output.WriteJson(new
            {
                invitation.Email,
                invitation.Roles,
                invitation.ExpiresAt,
                EnrolmentLink = portal is null ? null : issued.EnrolmentLinkOn(portal).AbsoluteUri,
                EnrolmentPath = portal is null ? issued.EnrolmentPath : null,
                Note = "shown once: give the link to the invitee yourself; it works once, until expires_at"
                    + (portal is null ? $"; prefix the path with the portal's address (--base-url or {PortalUrlKey})" : string.Empty),
            });
            return ExitCodes.Success;
        });
        return invite;
    }

    /// <summary>The portal's address from <c>--base-url</c> or the configuration; null when neither gives one.</summary>
    private static Uri? PortalUrl(string? option, string? configured)
    {
        var (text, source) = !string.IsNullOrWhiteSpace(option) ? (option, "--base-url") : (configured, PortalUrlKey);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && string.IsNullOrEmpty(uri.Fragment)
            ? uri
            : throw new CliUsageException($"{source}: expected the portal's https address, such as https://ttp.example:7443, found '{text.Trim()}'");
    }
}
