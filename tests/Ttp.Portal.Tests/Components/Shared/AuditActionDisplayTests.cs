using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using Ttp.Portal.Audit;

namespace Ttp.Portal.Tests.Components.Shared;

/// <summary>
/// Every audit action the product records has words on the portal's pages. The codes are read out of the compiled
/// domain and portal (their string literals and their <c>...Action</c> constants), so that a new action added anywhere
/// without words fails here, by name.
/// </summary>
public sealed partial class AuditActionDisplayTests
{
    // What ttpctl records (the CLI is not referenced by the portal's tests; its codes are listed by hand).
    private static readonly string[] CliActions = ["lmk.rotated", "audit.exported"];

    // A dotted name ending in a file extension is a file, not an action (ttp.db, checkpoints.jsonl, lmk.key...).
    private static readonly string[] FileExtensions = ["db", "done", "json", "jsonl", "key", "lock", "pgdump", "pem", "pfx", "css", "js", "png", "txt", "xml", "csv", "sha256"];

    // Dotted literals that are names of something else: the portal's session cookie and a property kept in it.
    private static readonly string[] NotActions = ["ttp.session", Ttp.Portal.Security.StaffSignInManager.SignedInAtItem];

    [Fact]
    public void Text_EveryActionOfTheDomainAndPortal_HasWordsOfItsOwn()
    {
        var codes = RecordedActions().Concat(CliActions).ToHashSet(StringComparer.Ordinal);

        var missing = codes.Where(c => !AuditActionDisplay.IsKnown(c)).Order(StringComparer.Ordinal).ToList();

        Assert.True(missing.Count == 0, "Audit actions without words in AuditActionDisplay: " + string.Join(", ", missing));
    }

    [Fact]
    public void RecordedActions_ReadFromTheAssemblies_FindsActionsOfEveryKind()
    {
        // Guards the reading itself: literals in services, constants, and the key-request stream's action.
        var codes = RecordedActions().ToHashSet(StringComparer.Ordinal);

        Assert.Contains("tsm.approved", codes);
        Assert.Contains("user.2fa-enrolled", codes);
        Assert.Contains("user.approver-refused", codes);
        Assert.Contains("key-request", codes);
        Assert.Contains("audit.exported", codes);
        Assert.DoesNotContain("ttp.db", codes);
        Assert.DoesNotContain("action", codes);
    }

    [Theory]
    [InlineData("user.2fa-enrolled", "Second factor enrolled")]
    [InlineData("tsm.scope-updated", "TSM scope changed")]
    [InlineData("ceremony.component-refused", "Component refused (check value mismatch)")]
    [InlineData("key-request", "Key request")]
    public void Text_KnownCode_Words(string code, string words) => Assert.Equal(words, AuditActionDisplay.Text(code));

    [Theory]
    [InlineData("user.sign-in-failed", "User: sign in failed")]
    [InlineData("tsm.renamed", "Tsm: renamed")]
    [InlineData("backup", "Backup")]
    [InlineData("dataprotection.keys.rotated", "Dataprotection: keys rotated")]
    [InlineData("", "(no action)")]
    public void Text_UnknownCode_ReadableFallback(string code, string words)
    {
        Assert.False(AuditActionDisplay.IsKnown(code));
        Assert.Equal(words, AuditActionDisplay.Text(code));
    }

    private static IEnumerable<string> RecordedActions() =>
        new[] { typeof(Ttp.Domain.Actor).Assembly, typeof(AuditActionDisplay).Assembly }.SelectMany(ActionsOf).Distinct(StringComparer.Ordinal);

    private static IEnumerable<string> ActionsOf(Assembly assembly)
    {
        var constants = assembly.GetTypes()
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(f => f is { IsLiteral: true } && f.FieldType == typeof(string) && f.Name.EndsWith("Action", StringComparison.Ordinal))
            .Select(f => (string)f.GetRawConstantValue()!)
            // Actions are dotted (area.event) but for the key-request stream's own; AuditSchema.Action is a column name.
            .Where(c => c.Contains('.', StringComparison.Ordinal) || c == Ttp.Domain.Audit.AuditRecord.KeyRequestAction);
        return constants.Concat(Literals(assembly).Where(IsActionCode));
    }

    // Every string literal of the assembly: its #US heap, where the compiler puts each ldstr operand.
    private static List<string> Literals(Assembly assembly)
    {
        using var stream = File.OpenRead(assembly.Location);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        var literals = new List<string>();
        var size = metadata.GetHeapSize(HeapIndex.UserString);
        for (var handle = MetadataTokens.UserStringHandle(1); !handle.IsNil && MetadataTokens.GetHeapOffset(handle) < size; handle = metadata.GetNextHandle(handle))
        {
            literals.Add(metadata.GetUserString(handle));
        }

        return literals;
    }

    private static bool IsActionCode(string literal) =>
        ActionPattern().IsMatch(literal) && !NotActions.Contains(literal, StringComparer.Ordinal) && !FileExtensions.Contains(literal[(literal.LastIndexOf('.') + 1)..], StringComparer.Ordinal);

    [GeneratedRegex("^[a-z][a-z0-9]*(-[a-z0-9]+)*\\.[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex ActionPattern();
}
