using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Domain.Tsms;

namespace Ttp.Cli.Commands;

/// <summary>
/// <c>ttpctl tsm changes|change-approve|change-reject</c>: the changes that widen a TSM's access (issuers added, a higher
/// rate limit, a certificate added, reinstatement) wait for a second Operator, who approves or rejects them here with
/// their own password (and authenticator code).
/// </summary>
internal static class TsmChangeCommands
{
    public static IEnumerable<Command> Create(CliOutput output, TextReader stdin)
    {
        var listName = new Option<string>("--name") { Description = "Only this TSM's changes.", HelpName = "NAME" };
        var all = new Option<bool>("--all") { Description = "Decided changes too, not only pending ones." };
        var list = new Command("changes", "List proposed changes waiting for a second Operator.") { listName, all };
        list.SetServiceAction(async (parse, services, cancellationToken) =>
        {
            var changes = await services.GetRequiredService<TsmChangeService>().ListAsync(parse.GetValue(listName), !parse.GetValue(all), cancellationToken);
            output.WriteJson(changes.Select(Describe).ToArray());
            return ExitCodes.Success;
        });
        yield return list;

        var approveId = AdminCommands.Required("--id", "The proposed change's id (see 'tsm changes').", "ID");
        var approver = new ApproverOptions(stdin, "The approving Operator's e-mail (not the proposer).");
        var approve = new Command("change-approve", "Approve a proposed change (four eyes); it takes effect.") { approveId };
        approver.AddTo(approve);
        approve.SetServiceAction(async (parse, services, cancellationToken) =>
        {
            var id = ParseId(parse.GetRequiredValue(approveId));
            var email = await approver.AuthenticateAsync(parse, services, cancellationToken);
            var tsm = await services.GetRequiredService<TsmChangeService>().ApproveAsync(id, email, CliServices.CurrentActor, cancellationToken);
            output.WriteJson(new { Approved = id, Tsm = tsm.Name, State = tsm.State.ToString(), Issuers = tsm.Scope.Select(s => s.Iin).ToArray(), tsm.RateLimitPerSecond });
            return ExitCodes.Success;
        });
        yield return approve;

        var rejectId = AdminCommands.Required("--id", "The proposed change's id (see 'tsm changes').", "ID");
        var rejectReason = AdminCommands.Required("--reason", "Why (recorded in the audit chain).", "TEXT");
        var rejecter = new ApproverOptions(stdin, "The rejecting Operator's e-mail (not the proposer).");
        var reject = new Command("change-reject", "Reject a proposed change (four eyes; final).") { rejectId, rejectReason };
        rejecter.AddTo(reject);
        reject.SetServiceAction(async (parse, services, cancellationToken) =>
        {
            var id = ParseId(parse.GetRequiredValue(rejectId));
            var email = await rejecter.AuthenticateAsync(parse, services, cancellationToken);
            var tsm = await services.GetRequiredService<TsmChangeService>().RejectAsync(id, email, parse.GetRequiredValue(rejectReason), CliServices.CurrentActor, cancellationToken);
            output.WriteJson(new { Rejected = id, Tsm = tsm.Name });
            return ExitCodes.Success;
        });
        yield return reject;
    }

    private static Guid ParseId(string text) =>
        Guid.TryParse(text, out var id) ? id : throw new CliUsageException($"--id: expected a change id such as 5f1c2a9e-..., found '{text}'");

    private static object Describe(TsmChange change) => new
    {
        change.Id,
        Kind = change.Kind.ToString(),
        change.Summary,
        State = change.State.ToString(),
        change.ProposedBy,
        change.ProposedAt,
        change.DecidedBy,
        change.DecidedAt,
        change.DecisionReason,
    };
}
