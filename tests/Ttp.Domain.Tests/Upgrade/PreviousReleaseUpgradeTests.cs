using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Crypto;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.Integrity;
using Ttp.Domain.KeyRequests;
using Ttp.Domain.KeyStore;
using Ttp.Domain.Staff;
using Ttp.Domain.Tests.Infrastructure;
using static Ttp.Domain.Tests.KeyRequests.KeyRequestTestData;

namespace Ttp.Domain.Tests.Upgrade;

/// <summary>
/// The upgrade requirement end to end: an installation as the previous release left it
/// (<see cref="PreviousReleaseInstallation"/>: format-1 envelopes, access rows without MACs, clear authenticator secrets,
/// an HMAC-chained trail) starts with this release. Every conversion runs once and is audited once, a start interrupted
/// part-way is completed by the next one, and afterwards the same keys are delivered to the same TSM, the scope still
/// holds, and the staff member signs in with the same authenticator and recovery codes.
/// </summary>
public sealed class PreviousReleaseUpgradeTests
{
    private const string OtherIin = "A0000002";
    private const string PowerCut = "simulated power cut";

    // openjavacard-tools src/test/java/org/openjavacard/gp/scp/SCPDiversificationTest.java,
    // testDiversifyEMV_0102030405060708090A: the ENC key of master key 40..4F and KDD 0102030405060708090A.
    private const string PublishedEncKey = "6438A05AC377DF302423BC5E2038FB5B";

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Initialize_PreviousReleaseInstallation_ConvertedOnceAuditedAndKeysScopeAndSignInStillWork(DatabaseProvider provider)
    {
        await using var install = await PreviousReleaseInstallation.CreateAsync(provider);
        var old = await InstallAsync(install);
        // What the builder wrote is what the upgrade must convert: format-1 envelopes of the right keys, clear tokens.
        foreach (var key in old.Keys)
        {
            var envelope = await install.ReadEnvelopeAsync(key);
            Assert.Equal(1, envelope.Format);
            Assert.True(install.OpensToTheSameKey(key, envelope, key.Format1AssociatedData), $"{key.Table} {key.Id}: not a format-1 envelope of its key");
        }

        Assert.True((await install.IdentityTokensAsync()).Contains($"[AspNetUserStore]/AuthenticatorKey={old.Staff.AuthenticatorKey}", StringComparison.Ordinal),
            "the authenticator secret is not in Identity's clear token");

        await DomainInitializer.InitializeAsync(install.Services);
        var afterUpgrade = await StateAsync(install);
        await using (var restarted = install.NewProcess())
        {
            await DomainInitializer.InitializeAsync(restarted);
        }

        // The second start converts nothing and appends nothing: every row, the trail and the anchors are as they were.
        AssertUnchanged(afterUpgrade, await StateAsync(install));
        await AssertConvertedAsync(install, old);
        await AssertEachConversionAuditedOnceAsync(install, old);
        await AssertKeysDeliveredWithinScopeAsync(install.Services, old);
        await AssertStaffSignInUnchangedAsync(install, old.Staff);
        await AssertTrailVerifiesAsync(install);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Initialize_InterruptedInTwoConversions_NextStartCompletesWithoutConvertingTwiceOrLosingAKey(DatabaseProvider provider)
    {
        await using var install = await PreviousReleaseInstallation.CreateAsync(provider);
        var old = await InstallAsync(install);
        var markers = Markers(install.Services);

        // 1. Power cut while the KEK is re-sealed: each key set's transaction committed (key sets convert before KEKs),
        // the KEK's did not.
        await install.FailUpdatesOfAsync("keks", PowerCut);
        await using (var first = install.NewProcess())
        {
            var cut = await Assert.ThrowsAsync<DbUpdateException>(() => DomainInitializer.InitializeAsync(first));
            Assert.Contains(PowerCut, cut.InnerException?.Message, StringComparison.Ordinal);
        }

        foreach (var set in old.KeySets)
        {
            Assert.True(install.OpensToTheSameKey(set, await install.ReadEnvelopeAsync(set), set.Format2AssociatedData), $"key set {set.Id}: not converted");
        }

        var kekBefore = await install.ReadEnvelopeAsync(old.Kek);
        Assert.Equal(1, kekBefore.Format);
        Assert.True(install.OpensToTheSameKey(old.Kek, kekBefore, old.Kek.Format1AssociatedData), "the KEK's format-1 envelope was lost");
        Assert.Equal(old.KeySets.Select(k => k.Id).Order(), await ResealedRecordsAsync(install));
        Assert.False(File.Exists(markers.Envelopes), "envelope marker written while a format-1 envelope is left");
        Assert.False(File.Exists(markers.AccessRecords), "access-record marker written before that conversion ran");
        var setEnvelopes = await Task.WhenAll(old.KeySets.Select(install.ReadEnvelopeAsync));

        // 2. Power cut in the access records' conversion (one transaction for all rows): the KEK is done now, no row has a
        // MAC, and the staff conversion after it has not run.
        await install.AllowUpdatesOfAsync("keks");
        await install.FailUpdatesOfAsync("tsm_issuer_scope", PowerCut);
        await using (var second = install.NewProcess())
        {
            var cut = await Assert.ThrowsAsync<DbUpdateException>(() => DomainInitializer.InitializeAsync(second));
            Assert.Contains(PowerCut, cut.InnerException?.Message, StringComparison.Ordinal);
        }

        Assert.True(install.OpensToTheSameKey(old.Kek, await install.ReadEnvelopeAsync(old.Kek), old.Kek.Format2AssociatedData), "the KEK was not converted");
        var setEnvelopesAgain = await Task.WhenAll(old.KeySets.Select(install.ReadEnvelopeAsync));
        for (var i = 0; i < setEnvelopes.Length; i++)
        {
            // Not sealed a second time: the same bytes (a new seal has a new data key and nonce).
            Assert.Equal(setEnvelopes[i].WrappedDataKey, setEnvelopesAgain[i].WrappedDataKey);
            Assert.Equal(setEnvelopes[i].Payload, setEnvelopesAgain[i].Payload);
        }

        Assert.Equal(old.Keys.Select(k => k.Id).Order(), await ResealedRecordsAsync(install));
        Assert.True(File.Exists(markers.Envelopes), "no envelope marker once every envelope is converted");
        Assert.False(File.Exists(markers.AccessRecords), "access-record marker written although its transaction failed");
        Assert.False(File.Exists(markers.KeyStates), "key-state marker written before that conversion ran");
        Assert.DoesNotContain(KeyStateUpgrade.AuthenticatedAction, await ConversionActionsAsync(install));
        Assert.Equal(0, await install.CountAsync(
            "SELECT (SELECT COUNT(*) FROM tsms WHERE record_mac IS NOT NULL) + (SELECT COUNT(*) FROM tsm_certificates WHERE record_mac IS NOT NULL) " +
            "+ (SELECT COUNT(*) FROM tsm_issuer_scope WHERE record_mac IS NOT NULL)"));
        Assert.DoesNotContain("integrity.records-authenticated", await ConversionActionsAsync(install));
        Assert.True((await install.IdentityTokensAsync()).Contains($"[AspNetUserStore]/AuthenticatorKey={old.Staff.AuthenticatorKey}", StringComparison.Ordinal),
            "the staff secrets were converted although the conversion before them failed");

        // 3. The next start completes the rest; the one after it finds nothing to do.
        await install.AllowUpdatesOfAsync("tsm_issuer_scope");
        await DomainInitializer.InitializeAsync(install.Services);
        var completed = await StateAsync(install);
        await using (var restarted = install.NewProcess())
        {
            await DomainInitializer.InitializeAsync(restarted);
        }

        AssertUnchanged(completed, await StateAsync(install));
        await AssertConvertedAsync(install, old);
        await AssertEachConversionAuditedOnceAsync(install, old);
        await AssertKeysDeliveredWithinScopeAsync(install.Services, old);
        await AssertStaffSignInUnchangedAsync(install, old.Staff);
        await AssertTrailVerifiesAsync(install);
    }

    /// <summary>
    /// The previous release's contents: key sets for the TSM's issuer and for another issuer, an accredited TSM with its
    /// certificate, scope and KEK, and an Operator with an authenticator and recovery codes.
    /// </summary>
    private static async Task<Installed> InstallAsync(PreviousReleaseInstallation install)
    {
        var inScope = await install.AddIssuerKeySetAsync(Iin, 0xFF, Hex.Parse(Master16, "master"));
        var outOfScope = await install.AddIssuerKeySetAsync(OtherIin, 0xFF, RandomNumberGenerator.GetBytes(16));
        var tsm = await install.AddAccreditedTsmAsync("acme", Iin);
        var kek = await install.AddKekAsync(tsm.Id, 1, Hex.Parse(Tdes2Kek, "kek"));
        var staff = await install.AddStaffUserAsync("op-legacy@ttp.example", "Correct-Horse-Battery-9", StaffRoles.Operator);
        return new Installed(inScope, outOfScope, kek, tsm, staff);
    }

    /// <summary>Every envelope is format 2, opens with its attributes to the key it had, and not with one attribute changed.</summary>
    private static async Task AssertConvertedAsync(PreviousReleaseInstallation install, Installed old)
    {
        foreach (var key in old.Keys)
        {
            var envelope = await install.ReadEnvelopeAsync(key);
            Assert.Equal(2, envelope.Format);
            Assert.True(install.OpensToTheSameKey(key, envelope, key.Format2AssociatedData), $"{key.Table} {key.Id}: does not open with its attributes to the key it had");
        }

        // The method is bound (None would hand out the master key): the envelope does not open for method=0.
        var set = old.KeySets[0];
        Assert.Contains(";method=1;", set.Format2AssociatedData, StringComparison.Ordinal);
        Assert.False(install.OpensToTheSameKey(set, await install.ReadEnvelopeAsync(set), set.Format2AssociatedData.Replace(";method=1;", ";method=0;", StringComparison.Ordinal)));

        // The TSM, its certificate and its scope entry carry valid MACs.
        var authenticator = await install.Services.GetRequiredService<RecordKeyHolder>().GetAsync();
        await using var db = install.Database.Factory.CreateDbContext();
        IAuthenticatedRecord[] records =
        [
            .. await db.Tsms.AsNoTracking().ToListAsync(),
            .. await db.TsmCertificates.AsNoTracking().ToListAsync(),
            .. await db.Set<Ttp.Domain.Tsms.TsmIssuerScope>().AsNoTracking().ToListAsync(),
        ];
        Assert.Equal(3, records.Length);
        Assert.All(records, r => Assert.True(authenticator.IsAuthentic(r), $"{r.Describe()}: no valid MAC"));

        // So do the KEK and both key sets (their state and version).
        IAuthenticatedRecord[] keys = [.. await db.Keks.AsNoTracking().ToListAsync(), .. await db.IssuerKeySets.AsNoTracking().ToListAsync()];
        Assert.Equal(3, keys.Length);
        Assert.All(keys, r => Assert.True(authenticator.IsAuthentic(r), $"{r.Describe()}: no valid MAC"));

        var markers = Markers(install.Services);
        Assert.True(File.Exists(markers.Envelopes), "no envelope marker");
        Assert.True(File.Exists(markers.AccessRecords), "no access-record marker");
        Assert.True(File.Exists(markers.KeyStates), "no key-state marker");
        Assert.Equal(install.DataDirectory, Path.GetDirectoryName(markers.Envelopes));
        Assert.Equal(install.DataDirectory, Path.GetDirectoryName(markers.AccessRecords));
        Assert.Equal(install.DataDirectory, Path.GetDirectoryName(markers.KeyStates));
    }

    /// <summary>
    /// After the previous release's records, the trail holds exactly: the anchoring, one re-seal per envelope (each
    /// envelope once), the access records' conversion (3 rows), the key states' conversion (1 KEK, 2 key sets) and the
    /// staff secrets' conversion (1 account).
    /// </summary>
    private static async Task AssertEachConversionAuditedOnceAsync(PreviousReleaseInstallation install, Installed old)
    {
        string[] expected =
        [
            AuditTrailAnchoring.AnchoredAction, "integrity.records-authenticated", KeyStateUpgrade.AuthenticatedAction,
            .. old.Keys.Select(_ => "keystore.attributes-sealed"), "staff.2fa-secrets-sealed",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), (await ConversionActionsAsync(install)).Order(StringComparer.Ordinal));
        Assert.Equal(old.Keys.Select(k => k.Id).Order(), await ResealedRecordsAsync(install));
        await using var db = install.Database.Factory.CreateDbContext();
        var records = await db.AuditEvents.AsNoTracking().SingleAsync(e => e.Action == "integrity.records-authenticated");
        Assert.Contains("\"records\":3", records.Details, StringComparison.Ordinal);
        var keyStates = await db.AuditEvents.AsNoTracking().SingleAsync(e => e.Action == KeyStateUpgrade.AuthenticatedAction);
        Assert.Contains("\"keks\":1", keyStates.Details, StringComparison.Ordinal);
        Assert.Contains("\"keySets\":2", keyStates.Details, StringComparison.Ordinal);
        var staff = await db.AuditEvents.AsNoTracking().SingleAsync(e => e.Action == "staff.2fa-secrets-sealed");
        Assert.Contains("\"accounts\":1", staff.Details, StringComparison.Ordinal);
        var anchored = await db.AuditEvents.AsNoTracking().SingleAsync(e => e.Action == AuditTrailAnchoring.AnchoredAction);
        Assert.Equal(install.AuditRecords + 1, anchored.Sequence);
    }

    /// <summary>
    /// A key request of the TSM (by its pinned certificate) for its issuer is answered with the published card keys
    /// under its KEK; one for another issuer is ScopeDenied; the TLS handshake pins its certificate.
    /// </summary>
    private static async Task AssertKeysDeliveredWithinScopeAsync(IServiceProvider services, Installed old)
    {
        var keyRequests = services.GetRequiredService<KeyRequestService>();
        var result = await keyRequests.GetDiversifiedKeysAsync(Request(KddOpenJavaCard, E0BasicDes), old.Tsm.Caller);
        Assert.Equal(3, result.Keys.Count);
        Assert.Equal("ENC", result.Keys[0].Usage);
        var enc = TdesEcbDecrypt(Hex.Parse(Tdes2Kek, "kek"), Hex.Parse(result.Keys[0].Cryptogram, "cryptogram"));
        Assert.True(CryptographicOperations.FixedTimeEquals(Hex.Parse(PublishedEncKey, "enc"), enc), "the ENC key under the KEK is not the published one");

        var refused = await Assert.ThrowsAsync<KeyRequestRefusedException>(() =>
            keyRequests.GetDiversifiedKeysAsync(Request(KddOpenJavaCard, E0BasicDes, iin: OtherIin), old.Tsm.Caller));
        Assert.Equal(KeyDistributionFaultCode.ScopeDenied, refused.Code);

        var pins = services.GetRequiredService<AccreditedCertificates>();
        await pins.RefreshAsync();
        Assert.True(pins.IsPinned(old.Tsm.Caller.CertificateSha256Thumbprint));
    }

    /// <summary>
    /// Identity's tokens hold neither the authenticator secret nor a recovery code in clear (SQL read); a current code of
    /// the same secret (computed here) authenticates the staff member; an old recovery code redeems once.
    /// </summary>
    private static async Task AssertStaffSignInUnchangedAsync(PreviousReleaseInstallation install, LegacyStaffUser staff)
    {
        var tokens = await install.IdentityTokensAsync();
        Assert.False(tokens.Contains(staff.AuthenticatorKey, StringComparison.OrdinalIgnoreCase), "Identity's tokens still hold the authenticator secret in clear");
        Assert.False(tokens.Contains("/AuthenticatorKey=", StringComparison.Ordinal), "Identity's AuthenticatorKey token is still there");
        Assert.All(staff.RecoveryCodes, c => Assert.False(tokens.Contains(c, StringComparison.Ordinal), "Identity's tokens still hold a recovery code in clear"));

        await using (var scope = install.Services.CreateAsyncScope())
        {
            var code = Totp.Compute(staff.AuthenticatorSecret, Totp.StepAt(DateTimeOffset.UtcNow)).ToString("D6", CultureInfo.InvariantCulture);
            var approver = scope.ServiceProvider.GetRequiredService<ApproverAuthentication>();
            Assert.Equal(staff.Email, await approver.VerifyAsync(staff.Email, staff.Password, code, Actor.System));
        }

        await using (var scope = install.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
            var user = await users.FindByEmailAsync(staff.Email);
            Assert.NotNull(user);
            Assert.True((await users.RedeemTwoFactorRecoveryCodeAsync(user, staff.RecoveryCodes[3])).Succeeded);
            Assert.False((await users.RedeemTwoFactorRecoveryCodeAsync(user, staff.RecoveryCodes[3])).Succeeded);
            Assert.Equal(staff.RecoveryCodes.Count - 1, await users.CountRecoveryCodesAsync(user));
        }
    }

    private static async Task AssertTrailVerifiesAsync(PreviousReleaseInstallation install)
    {
        var result = await install.Services.GetRequiredService<AuditTrailVerifier>().VerifyAsync();
        Assert.True(result.IsValid, result.Problem);
        Assert.Equal(install.AuditRecords, result.HmacThrough);
    }

    /// <summary>The actions of the staff-action records written after the previous release's, in order.</summary>
    private static async Task<List<string>> ConversionActionsAsync(PreviousReleaseInstallation install)
    {
        await using var db = install.Database.Factory.CreateDbContext();
        return await db.AuditEvents.AsNoTracking()
            .Where(e => e.Sequence > install.AuditRecords && e.Stream == AuditStream.StaffAction)
            .OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync();
    }

    /// <summary>The record each <c>keystore.attributes-sealed</c> record names, sorted (a record converted twice shows twice).</summary>
    private static async Task<List<Guid>> ResealedRecordsAsync(PreviousReleaseInstallation install)
    {
        await using var db = install.Database.Factory.CreateDbContext();
        var details = await db.AuditEvents.AsNoTracking().Where(e => e.Action == "keystore.attributes-sealed").Select(e => e.Details).ToListAsync();
        return [.. details.Select(d => JsonDocument.Parse(d).RootElement.GetProperty("record").GetGuid()).Order()];
    }

    /// <summary>
    /// A digest per part of what the conversions touch (envelopes, MACs, tokens, sealed secrets, system keys, the
    /// trail and its head, the anchors and markers): equal digests, nothing changed. Digests, so that a failure shows
    /// no token value.
    /// </summary>
    private static async Task<Dictionary<string, string>> StateAsync(PreviousReleaseInstallation install)
    {
        string[] queries =
        [
            "SELECT id, envelope_format, envelope_lmk_id, envelope_wrapped_key, envelope_payload FROM issuer_key_sets ORDER BY id",
            "SELECT id, envelope_format, envelope_lmk_id, envelope_wrapped_key, envelope_payload FROM keks ORDER BY id",
            "SELECT id, kind, envelope_wrapped_key, envelope_payload FROM system_keys ORDER BY id",
            "SELECT id, state, record_mac FROM tsms ORDER BY id",
            "SELECT id, record_mac FROM tsm_certificates ORDER BY id",
            "SELECT id, record_mac FROM tsm_issuer_scope ORDER BY id",
            "SELECT user_id, envelope_wrapped_key, envelope_payload FROM staff_authenticator_keys ORDER BY user_id",
            "SELECT user_id, login_provider, name, value FROM \"AspNetUserTokens\" ORDER BY user_id, login_provider, name",
            "SELECT sequence, action, hash, mac FROM audit_events ORDER BY sequence",
            "SELECT last_sequence, last_hash, hmac_through FROM audit_chain_head",
        ];
        var state = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var sql in queries)
        {
            state[sql] = Digest(await install.QueryTextAsync(sql));
        }

        foreach (var file in Directory.EnumerateFiles(install.DataDirectory, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".lock", StringComparison.Ordinal)))
        {
            state[Path.GetRelativePath(install.DataDirectory, file)] = Digest(await File.ReadAllTextAsync(file));
        }

        return state;
    }

    private static void AssertUnchanged(Dictionary<string, string> before, Dictionary<string, string> after)
    {
        Assert.Equal(before.Keys.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));
        foreach (var (part, digest) in before)
        {
            Assert.True(digest == after[part], $"changed by a start that had nothing to convert: {part}");
        }
    }

    private static string Digest(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static (string Envelopes, string AccessRecords, string KeyStates) Markers(IServiceProvider services) =>
        (services.GetRequiredService<EnvelopeAttributeUpgrade>().MarkerPath, services.GetRequiredService<AccessRecordUpgrade>().MarkerPath,
            services.GetRequiredService<KeyStateUpgrade>().MarkerPath);

    private static byte[] TdesEcbDecrypt(byte[] key, byte[] data)
    {
#pragma warning disable CA5350 // GlobalPlatform cryptograms under a TDES KEK are TDES-ECB by definition.
        using var tdes = TripleDES.Create();
#pragma warning restore CA5350
        tdes.Key = key.Length == 16 ? [.. key, .. key.AsSpan(0, 8)] : key; // 2-key TDES as K1 K2 K1: OpenSSL takes 3-key only.
        return tdes.DecryptEcb(data, PaddingMode.None);
    }

    private sealed record Installed(LegacyKey InScope, LegacyKey OutOfScope, LegacyKey Kek, LegacyTsm Tsm, LegacyStaffUser Staff)
    {
        public LegacyKey[] KeySets => [InScope, OutOfScope];

        public LegacyKey[] Keys => [InScope, OutOfScope, Kek];
    }
}
