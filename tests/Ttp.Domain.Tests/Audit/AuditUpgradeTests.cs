using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.KeyStore;
using Ttp.Domain.Tests.Infrastructure;
using Ttp.Domain.Tests.Upgrade;

namespace Ttp.Domain.Tests.Audit;

/// <summary>
/// An installation of the previous release (<see cref="PreviousReleaseInstallation"/>: its schema, its audit key, records
/// HMAC-chained as that release wrote them, no signing key, no anchors) started after this change: anchored once at its
/// head, audited, verified.
/// </summary>
public sealed class AuditUpgradeTests
{
    private const int OldRecords = 5;

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Initialize_PreviousReleaseTrail_AnchoredOnceAtItsHeadAuditedAndVerified(DatabaseProvider provider)
    {
        await using var install = await PreviousReleaseInstallation.CreateAsync(provider, OldRecords);
        byte[] oldHead;
        await using (var db = install.Database.Factory.CreateDbContext())
        {
            oldHead = await db.AuditChainHeads.Select(h => h.LastHash).SingleAsync();
        }

        await DomainInitializer.InitializeAsync(install.Services);
        await DomainInitializer.InitializeAsync(install.Services);

        var lines = await File.ReadAllLinesAsync(install.Services.GetRequiredService<AuditCheckpointFile>().Path);
        var first = AuditCheckpointJson.ParseLine(lines[0]);
        Assert.Equal(OldRecords, first.Sequence);
        Assert.Equal(oldHead, first.ChainHash);
        Assert.Equal(OldRecords, first.HmacThrough);
        Assert.Equal(new byte[32], first.Previous);
        Assert.Equal(OldRecords + 1, AuditCheckpointJson.ParseLine(lines[1]).Sequence);
        await using (var db = install.Database.Factory.CreateDbContext())
        {
            var anchored = await db.AuditEvents.AsNoTracking().SingleAsync(e => e.Action == AuditTrailAnchoring.AnchoredAction);
            Assert.Equal(OldRecords + 1, anchored.Sequence);
            Assert.Contains($"\"hmacThrough\":{OldRecords}", anchored.Details, StringComparison.Ordinal);
            Assert.Equal(OldRecords, await db.AuditChainHeads.Select(h => h.HmacThrough).SingleAsync());
            Assert.Equal(KeyKind.AuditSigningKey, (await db.SystemKeys.SingleAsync(k => k.Id == SystemKey.AuditSigningKeyId)).Kind);
            Assert.All(await db.AuditEvents.Where(e => e.Sequence <= OldRecords).ToListAsync(), e => Assert.Null(e.Mac));
        }

        var result = await install.Services.GetRequiredService<AuditTrailVerifier>().VerifyAsync();
        Assert.True(result.IsValid, result.Problem);
        Assert.Equal(OldRecords, result.HmacThrough);
        Assert.Equal(OldRecords + 1, result.RecordCount);
        Assert.Equal(2, result.Checkpoints);

        // An export verifies with the public key: the old records link the chain, the new ones are recomputed.
        using var output = new StringWriter();
        await AuditExporter.ExportAsync(install.Database.Factory, output, AuditExportFormat.JsonLines, install.Services.GetRequiredService<AuditCheckpointFile>());
        using var publicKey = AuditPublicKey.FromPem((await install.Services.GetRequiredService<AuditTrailVerifier>().PublicKeyAsync()).Pem);
        var exported = await AuditExportVerifier.VerifyAsync(new StringReader(output.ToString()), publicKey);
        Assert.True(exported.IsValid, exported.Problem);
        Assert.Equal(OldRecords, exported.RecordsBeforeAnchoring);
        Assert.Equal(1, exported.RecordsVerified);

        // The records of the previous release are still checked with the audit key.
        await AuditTestSupport.ExecuteRawAsync(install.Database, AuditTestSupport.ChangeFieldSql(provider, "actor", 2));
        var changed = await install.Services.GetRequiredService<AuditTrailVerifier>().VerifyAsync();
        Assert.Equal(AuditBreakReason.HashMismatch, changed.Reason);
        Assert.Equal(2, changed.FirstBrokenSequence);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Initialize_PreviousReleaseTrailAlreadyBroken_RefusesToAnchorItNamingTheRecord(DatabaseProvider provider)
    {
        await using var install = await PreviousReleaseInstallation.CreateAsync(provider, OldRecords);
        await AuditTestSupport.ExecuteRawAsync(install.Database, "UPDATE audit_events SET subject = 'tsm:other' WHERE sequence = 3");

        var error = await Assert.ThrowsAsync<IntegrityException>(() => DomainInitializer.InitializeAsync(install.Services));

        Assert.Equal("record 3 does not match its hash: it or its hash was changed", error.Message);
        Assert.Null(install.Services.GetRequiredService<AuditCheckpointFile>().ReadLatest());
    }
}
