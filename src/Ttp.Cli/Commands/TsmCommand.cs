using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Domain.Tsms;

namespace Ttp.Cli.Commands;

/// <summary><c>ttpctl tsm ...</c>: TSM accreditation over the same domain service as the portal.</summary>
internal static class TsmCommand
{
    public static Command Create(CliOutput output, TextReader stdin)
    {
        var root = new Command("tsm", "Trusted Service Managers: register, approve or reject, suspend, reinstate, revoke, scope, certificates, list.");

        var name = AdminCommands.Required("--name", "The TSM's name.", "NAME");
        var certificate = AdminCommands.Required("--certificate", "The TSM's client certificate, PEM or DER.", "FILE");
        var organisation = new Option<string>("--organisation") { Description = "The TSM's organisation." };
        var issuer = new Option<string[]>("--issuer") { Description = "An issuer (IIN, hex) the TSM may request keys for; repeat for more." };
        var contactName = new Option<string>("--contact-name") { Description = "The TSM's contact person." };
        var contactEmail = new Option<string>("--contact-email") { Description = "The contact person's e-mail address." };
        var contactPhone = new Option<string>("--contact-phone") { Description = "The contact person's phone number." };
        var rateLimit = new Option<double?>("--rate-limit") { Description = "Key requests per second for this TSM (default: the configured rate)." };
        var add = new Command("add", "Register a TSM; it waits for an Operator's approval.")
        {
            name, certificate, organisation, issuer, contactName, contactEmail, contactPhone, rateLimit,
        };
        add.SetServiceAction(async (parse, services, cancellationToken) =>
        {
            var path = parse.GetRequiredValue(certificate);
            if (!File.Exists(path))
            {
                throw new CliUsageException($"--certificate: no such file {path}");
            }

            var registration = new TsmRegistration(
                parse.GetRequiredValue(name), parse.GetValue(organisation), parse.GetValue(issuer) ?? [],
                new TsmContact(parse.GetValue(contactName), parse.GetValue(contactEmail), parse.GetValue(contactPhone)),
                parse.GetValue(rateLimit));
            var tsm = await services.GetRequiredService<TsmService>().RegisterAsync(
                registration, await File.ReadAllBytesAsync(path, cancellationToken), CliServices.CurrentActor, cancellationToken);
            output.WriteJson(Describe(tsm));
            return ExitCodes.Success;
        });
        root.Subcommands.Add(add);

        var approveName = AdminCommands.Required("--name", "The TSM's name.", "NAME");
        var approver = new ApproverOptions(stdin, "The approving Operator's e-mail (not the one who registered it).");
        var approve = new Command("approve", "Approve a pending TSM (four eyes): the approver's own password on standard input.") { approveName };
        approver.AddTo(approve);
        approve.SetServiceAction(async (parse, services, cancellationToken) =>
        {
            var email = await approver.AuthenticateAsync(parse, services, cancellationToken);
            var tsm = await services.GetRequiredService<TsmService>().ApproveAsync(
                parse.GetRequiredValue(approveName), email, CliServices.CurrentActor, cancellationToken);
            output.WriteJson(Describe(tsm));
            return ExitCodes.Success;
        });
        root.Subcommands.Add(approve);

        var rejectName = AdminCommands.Required("--name", "The TSM's name.", "NAME");
        var rejecter = new ApproverOptions(stdin, "The rejecting Operator's e-mail (not the one who registered it).");
        var rejectReason = AdminCommands.Required("--reason", "Why (recorded in the audit chain).", "TEXT");
        var reject = new Command("reject", "Reject a pending TSM (four eyes; final): the approver's own password on standard input.") { rejectName, rejectReason };
        rejecter.AddTo(reject);
        reject.SetServiceAction(async (parse, services, cancellationToken) =>
        {
            var email = await rejecter.AuthenticateAsync(parse, services, cancellationToken);
            var tsm = await services.GetRequiredService<TsmService>().RejectAsync(
                parse.GetRequiredValue(rejectName), email, parse.GetRequiredValue(rejectReason), CliServices.CurrentActor, cancellationToken);
            output.WriteJson(Describe(tsm));
            return ExitCodes.Success;
        });
        root.Subcommands.Add(reject);

        var scopeName = AdminCommands.Required("--name", "The TSM's name.", "NAME");
        var scopeIssuer = new Option<string[]>("--issuer") { Description = "An issuer (IIN, hex) the TSM may request keys for; repeat for more. Replaces the scope.", Required = true };
        var scopeRate = new Option<double?>("--rate-limit") { Description = "Key requests per second for this TSM; omit for the configured default." };
        var scope = new Command("scope", "Replace a TSM's issuer scope and rate limit.") { scopeName, scopeIssuer, scopeRate };
        scope.SetServiceAction(async (parse, services, cancellationToken) =>
        {
            var tsm = await services.GetRequiredService<TsmService>().UpdateScopeAsync(
                parse.GetRequiredValue(scopeName), parse.GetValue(scopeIssuer) ?? [], parse.GetValue(scopeRate), CliServices.CurrentActor, cancellationToken);
            output.WriteJson(Describe(tsm));
            return ExitCodes.Success;
        });
        root.Subcommands.Add(scope);

        var addCertName = AdminCommands.Required("--name", "The TSM's name.", "NAME");
        var addCertFile = AdminCommands.Required("--certificate", "The new client certificate, PEM or DER.", "FILE");
        var addCert = new Command("certificate-add", "Add a client certificate to a TSM (rotation: then retire the old one).") { addCertName, addCertFile };
        addCert.SetServiceAction(async (parse, services, cancellationToken) =>
        {
            var path = parse.GetRequiredValue(addCertFile);
            if (!File.Exists(path))
            {
                throw new CliUsageException($"--certificate: no such file {path}");
            }

            var tsm = await services.GetRequiredService<TsmService>().AddCertificateAsync(
                parse.GetRequiredValue(addCertName), await File.ReadAllBytesAsync(path, cancellationToken), CliServices.CurrentActor, cancellationToken);
            output.WriteJson(Describe(tsm));
            return ExitCodes.Success;
        });
        root.Subcommands.Add(addCert);

        var retireName = AdminCommands.Required("--name", "The TSM's name.", "NAME");
        var retireThumbprint = AdminCommands.Required("--thumbprint", "The SHA-256 thumbprint (hex) of the certificate to retire.", "HEX");
        var retireAt = new Option<string>("--at") { Description = "When it stops being accepted (ISO 8601, UTC; default: now).", HelpName = "TIME" };
        var retire = new Command("certificate-retire", "Retire a TSM's client certificate, now or at a chosen time.") { retireName, retireThumbprint, retireAt };
        retire.SetServiceAction(async (parse, services, cancellationToken) =>
        {
            var at = parse.GetValue(retireAt) is { Length: > 0 } text
                ? DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed)
                    ? parsed
                    : throw new CliUsageException($"--at: expected an ISO 8601 time such as 2026-12-31T18:00:00Z, found '{text}'")
                : services.GetRequiredService<TimeProvider>().GetUtcNow();
            var tsm = await services.GetRequiredService<TsmService>().RetireCertificateAsync(
                parse.GetRequiredValue(retireName), parse.GetRequiredValue(retireThumbprint), at, CliServices.CurrentActor, cancellationToken);
            output.WriteJson(Describe(tsm));
            return ExitCodes.Success;
        });
        root.Subcommands.Add(retire);

        root.Subcommands.Add(StateChange(output, "suspend", "Suspend an active TSM.", (s, n, r, c) => s.SuspendAsync(n, r, CliServices.CurrentActor, c)));
        root.Subcommands.Add(StateChange(output, "reinstate", "Propose to reinstate a suspended TSM (a second Operator approves: tsm change-approve).", (s, n, r, c) => s.ReinstateAsync(n, r, CliServices.CurrentActor, c)));
        root.Subcommands.Add(StateChange(output, "revoke", "Revoke a TSM's accreditation (final).", (s, n, r, c) => s.RevokeAsync(n, r, CliServices.CurrentActor, c)));

        var list = new Command("list", "List TSMs with their state, certificates and scope.");
        list.SetServiceAction(async (_, services, cancellationToken) =>
        {
            var tsms = await services.GetRequiredService<TsmService>().ListAsync(cancellationToken);
            output.WriteJson(tsms.Select(Describe).ToArray());
            return ExitCodes.Success;
        });
        root.Subcommands.Add(list);
        foreach (var command in TsmChangeCommands.Create(output, stdin))
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    private static Command StateChange(CliOutput output, string verb, string description, Func<TsmService, string, string, CancellationToken, Task<Tsm>> change)
    {
        var name = AdminCommands.Required("--name", "The TSM's name.", "NAME");
        var reason = AdminCommands.Required("--reason", "Why (recorded in the audit chain).", "TEXT");
        var command = new Command(verb, description) { name, reason };
        command.SetServiceAction(async (parse, services, cancellationToken) =>
        {
            var tsm = await change(services.GetRequiredService<TsmService>(), parse.GetRequiredValue(name), parse.GetRequiredValue(reason), cancellationToken);
            output.WriteJson(Describe(tsm));
            return ExitCodes.Success;
        });
        return command;
    }

    private static object Describe(Tsm tsm) => new
    {
        tsm.Name,
        tsm.Organisation,
        Contact = new { Name = tsm.ContactName, Email = tsm.ContactEmail, Phone = tsm.ContactPhone },
        State = tsm.State.ToString(),
        tsm.StateReason,
        tsm.RegisteredBy,
        tsm.RegisteredAt,
        tsm.ApprovedBy,
        tsm.ApprovedAt,
        Issuers = tsm.Scope.Select(s => s.Iin).ToArray(),
        tsm.RateLimitPerSecond,
        Certificates = tsm.Certificates.Select(c => new { c.Sha256Thumbprint, c.Subject, c.NotAfter, c.RetiredAt }).ToArray(),
    };
}
