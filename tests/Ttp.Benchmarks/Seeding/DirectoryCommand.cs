using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Domain;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;
using Ttp.Domain.Tsms;

namespace Ttp.Benchmarks.Seeding;

/// <summary>
/// <c>directory --data DIR [--postgres CONNSTRING] --tsms 1000 --key-sets 10000 --operator EMAIL --approver EMAIL</c>:
/// fills an installation's key-request directory the way operators would, through the product's services (every change
/// audited and checkpointed): TSMs with a client certificate of their own, registered by one Operator and approved by
/// another, each with an AES-256 KEK (index 1) and a scope of issuers; issuer key sets (SCP03, KDF3, AES-128) imported
/// and activated, four key versions per issuer. The key material is random (benchmark data, never printed). For the
/// load test of a large installation (scripts/load.sh with SEED_TSMS / SEED_KEY_SETS, docs/PERFORMANCE.md).
/// </summary>
internal static class DirectoryCommand
{
    private const int KeyVersionsPerIssuer = 4;

    public static bool Handles(string[] args) => args.Length > 0 && args[0] == "directory";

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            options[args[i]] = args[i + 1];
        }

        if (!options.TryGetValue("--data", out var data) || !options.TryGetValue("--operator", out var operatorEmail)
            || !options.TryGetValue("--approver", out var approverEmail))
        {
            await Console.Error.WriteLineAsync("usage: directory --data DIR [--postgres CONNSTRING] [--tsms 1000] [--key-sets 10000] --operator EMAIL --approver EMAIL");
            return 2;
        }

        options.TryGetValue("--postgres", out var postgres);
        var tsms = int.Parse(options.GetValueOrDefault("--tsms", "1000"), CultureInfo.InvariantCulture);
        var keySets = int.Parse(options.GetValueOrDefault("--key-sets", "10000"), CultureInfo.InvariantCulture);
        await using var services = AuditSeeder.Installation(data, postgres);
        await DomainInitializer.InitializeAsync(services, CancellationToken.None);

        var issuers = Math.Max(1, (keySets + KeyVersionsPerIssuer - 1) / KeyVersionsPerIssuer);
        var watch = Stopwatch.StartNew();
        await SeedKeySetsAsync(services.GetRequiredService<IssuerKeyService>(), keySets, Actor.Staff(operatorEmail));
        var keySetTime = watch.Elapsed;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"directory: {keySets:N0} key sets of {issuers:N0} issuers imported and activated in {keySetTime.TotalSeconds:F1} s"));

        watch.Restart();
        await SeedTsmsAsync(services, tsms, issuers, operatorEmail, approverEmail);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"directory: {tsms:N0} TSMs registered, approved and given a KEK in {watch.Elapsed.TotalSeconds:F1} s"));
        return 0;
    }

    /// <summary>The IIN of seeded issuer <paramref name="index"/>: 8 hex digits starting with F, apart from real ones.</summary>
    private static string Iin(int index) => string.Create(CultureInfo.InvariantCulture, $"F{index:X7}");

    private static async Task SeedKeySetsAsync(IssuerKeyService keys, int count, Actor actor)
    {
        for (var i = 0; i < count; i++)
        {
            var (iin, kvn) = (Iin(i / KeyVersionsPerIssuer), 1 + (i % KeyVersionsPerIssuer));
            var components = new[] { RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(16) };
            try
            {
                await keys.ImportAsync(new IssuerKeyImport(iin, kvn, SecureChannelScheme.Scp03, DiversificationMethod.Kdf3), components, actor);
                await keys.ActivateAsync(iin, kvn, actor);
            }
            finally
            {
                Array.ForEach(components, c => CryptographicOperations.ZeroMemory(c));
            }

            Progress("key sets", i + 1, count);
        }
    }

    private static async Task SeedTsmsAsync(IServiceProvider services, int count, int issuers, string operatorEmail, string approverEmail)
    {
        var tsmService = services.GetRequiredService<TsmService>();
        var kekService = services.GetRequiredService<KekService>();
        var registrar = Actor.Staff(operatorEmail);
        var approver = Actor.Staff(approverEmail);
        for (var i = 0; i < count; i++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"seed-tsm-{i:D5}");
            var scope = Enumerable.Range(0, Math.Min(8, issuers)).Select(k => Iin(((i * 8) + k) % issuers)).Distinct().ToArray();
            await tsmService.RegisterAsync(name, "Seeded", ClientCertificate(name), scope, registrar);
            await tsmService.ApproveAsync(name, approverEmail, approver);
            var components = new[] { RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32) };
            try
            {
                await kekService.ImportAsync(name, 1, KekAlgorithm.Aes256, KekFormat.Tr31, components, registrar);
            }
            finally
            {
                Array.ForEach(components, c => CryptographicOperations.ZeroMemory(c));
            }

            Progress("TSMs", i + 1, count);
        }
    }

    // A fresh EC P-256 client certificate (clientAuth), valid for two days, as a TSM would present.
    private static byte[] ClientCertificate(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(2));
        return certificate.Export(X509ContentType.Cert);
    }

    private static void Progress(string what, int done, int total)
    {
        if (done % 500 == 0 || done == total)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"directory: {done:N0}/{total:N0} {what}"));
        }
    }
}
