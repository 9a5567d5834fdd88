using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Crypto;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Domain.Data;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;
using Ttp.Domain.KeyRequests;
using Ttp.Domain.Tests.Infrastructure;
using static Ttp.Domain.Tests.KeyRequests.KeyRequestTestData;

namespace Ttp.Domain.Tests.KeyRequests;

/// <summary>
/// <see cref="KeyRequestDirectory"/>: the key-request path reads TSMs, certificates, scope, KEKs and key sets from memory,
/// and must still see every change the very next request, whoever made it. The database's triggers make that so.
/// </summary>
public sealed class KeyRequestDirectoryTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ChangeThroughAnotherConnection_SeenByTheNextRequest(DatabaseProvider provider)
    {
        await using var env = await KeyRequestEnvironment.CreateAsync(provider);
        var caller = await SetUpAsync(env);
        var request = Request(KddOpenJavaCard, E0BasicDes);
        Assert.Equal(3, (await env.KeyRequests.GetDiversifiedKeysAsync(request, caller)).Keys.Count);

        // As an operator at the SQL prompt, or another process, would: no domain service, no notification.
        Assert.Equal(1, await env.ExecuteRawAsync("DELETE FROM tsm_issuer_scope"));

        var refused = await Assert.ThrowsAsync<KeyRequestRefusedException>(() => env.KeyRequests.GetDiversifiedKeysAsync(request, caller));
        Assert.Equal(KeyDistributionFaultCode.ScopeDenied, refused.Code);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Version_IncrementsOnAChangeOfEveryWatchedTable_NotOnKeyRequests(DatabaseProvider provider)
    {
        await using var env = await KeyRequestEnvironment.CreateAsync(provider);
        var caller = await SetUpAsync(env);
        Assert.True(await VersionAsync(env) > 0, "setting up TSM, KEK and key set must have changed the version");

        foreach (var table in DirectoryVersion.WatchedTables)
        {
            var before = await VersionAsync(env);
            Assert.True(await env.ExecuteRawAsync($"UPDATE {table} SET id = id") > 0, $"{table} has rows to update");
            Assert.True(await VersionAsync(env) > before, $"an UPDATE of {table} must increment the version");
        }

        // Key requests write the audit trail only: the cached directory stays valid under load.
        var unchanged = await VersionAsync(env);
        for (var i = 0; i < 3; i++)
        {
            await env.KeyRequests.GetDiversifiedKeysAsync(Request(KddOpenJavaCard, E0BasicDes), caller);
        }

        await Assert.ThrowsAsync<KeyRequestRefusedException>(() => env.KeyRequests.GetDiversifiedKeysAsync(Request(KddOpenJavaCard, E0BasicDes, kekIndex: 9), caller));
        Assert.Equal(unchanged, await VersionAsync(env));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task CurrentAsync_ReusesTheCopyUntilTheDatabaseChanges(DatabaseProvider provider)
    {
        await using var env = await KeyRequestEnvironment.CreateAsync(provider);
        var caller = await SetUpAsync(env);
        var directory = env.Services.GetRequiredService<KeyRequestDirectory>();

        var first = await directory.CurrentAsync();
        Assert.Same(first, await directory.CurrentAsync());
        Assert.Equal("acme", first.FindCaller(caller.CertificateSha256Thumbprint!.ToLowerInvariant())?.Tsm.Name);
        Assert.NotNull(first.ActiveKek(first.FindCaller(caller.CertificateSha256Thumbprint)!.Tsm.Id, 1));
        Assert.Single(first.KeySetsOf(Iin));

        await env.AddKekAsync("acme", 2, KekAlgorithm.Aes128, KekFormat.Tr31, Hex.Parse(Aes128Kek, "kek"));

        var second = await directory.CurrentAsync();
        Assert.NotSame(first, second);
        Assert.True(second.Version > first.Version);
        Assert.NotNull(second.ActiveKek(second.FindCaller(caller.CertificateSha256Thumbprint)!.Tsm.Id, 2));
        Assert.Null(first.ActiveKek(first.FindCaller(caller.CertificateSha256Thumbprint)!.Tsm.Id, 2));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task KekWrappers_KeptWhileTheCopyIsCurrent_DisposedWhenTheDatabaseChanges(DatabaseProvider provider)
    {
        await using var env = await KeyRequestEnvironment.CreateAsync(provider);
        var caller = await SetUpAsync(env);
        var directory = env.Services.GetRequiredService<KeyRequestDirectory>();
        var vault = env.Services.GetRequiredService<Ttp.Domain.KeyStore.KeyVault>();
        await env.KeyRequests.GetDiversifiedKeysAsync(Request(KddOpenJavaCard, E0BasicDes), caller);
        var first = await directory.CurrentAsync();
        var kek = first.ActiveKek(first.FindCaller(caller.CertificateSha256Thumbprint)!.Tsm.Id, 1)!;

        // The request gave its wrapper back: the next one under the same KEK gets that very wrapper.
        Ttp.Crypto.KeyBlocks.Tr31Wrapper kept;
        using (var lease = first.Wrappers.Rent(vault, kek))
        {
            kept = lease.Wrapper;
        }

        using (var again = first.Wrappers.Rent(vault, kek))
        {
            Assert.Same(kept, again.Wrapper);
        }

        // A change of the directory (here a KEK retired at the SQL prompt) makes a new copy and disposes the old one's.
        Assert.Equal(1, await env.ExecuteRawAsync($"UPDATE keks SET state = {(int)KekState.Retired}"));
        var second = await directory.CurrentAsync();
        Assert.NotSame(first, second);
        Assert.Throws<ObjectDisposedException>(() => kept.KbpkCheckValueBlock());
        var refused = await Assert.ThrowsAsync<KeyRequestRefusedException>(() => env.KeyRequests.GetDiversifiedKeysAsync(Request(KddOpenJavaCard, E0BasicDes), caller));
        Assert.Equal(KeyDistributionFaultCode.UnknownKek, refused.Code);
    }

    private static async Task<KeyRequestCaller> SetUpAsync(KeyRequestEnvironment env)
    {
        await env.AddKeySetAsync(Iin, 0xFF, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, Hex.Parse(Master16, "m"));
        var caller = await env.AddTsmAsync("acme", [Iin]);
        await env.AddKekAsync("acme", 1, KekAlgorithm.Tdes2, KekFormat.Tr31, Hex.Parse(Tdes2Kek, "kek"));
        return caller;
    }

    private static async Task<long> VersionAsync(KeyRequestEnvironment env)
    {
        await using var db = env.Database.Factory.CreateDbContext();
        return await db.DirectoryVersions.AsNoTracking().Select(v => v.Version).SingleAsync();
    }
}
