using System.Security.Cryptography;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Ttp.Domain.KeyStore;

namespace Ttp.Portal.Management;

/// <summary>
/// The LMK can be used: the provider re-reads its storage (the key file, or the token through a PKCS#11 session) and
/// wraps and unwraps a random probe under the current LMK. The probe is thrown away and cleared.
/// </summary>
internal sealed class KeyStoreHealthCheck(ILmkProvider lmk) : IHealthCheck
{
    private static readonly byte[] ProbeContext = "ttp-health-probe"u8.ToArray();

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        // PKCS#11 calls block: off the request's thread.
        Task.Run(Probe, cancellationToken);

    private HealthCheckResult Probe()
    {
        var probe = RandomNumberGenerator.GetBytes(32);
        var back = new byte[32];
        try
        {
            lmk.Refresh();
            var id = lmk.CurrentLmkId;
            var wrapped = lmk.Wrap(id, probe, ProbeContext);
            return lmk.TryUnwrap(id, wrapped, ProbeContext, back) && CryptographicOperations.FixedTimeEquals(probe, back)
                ? HealthCheckResult.Healthy("the LMK wraps and unwraps")
                : HealthCheckResult.Unhealthy("the LMK does not unwrap what it wrapped");
        }
        catch (Exception)
        {
            return HealthCheckResult.Unhealthy("the LMK cannot be used");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(probe);
            CryptographicOperations.ZeroMemory(back);
        }
    }
}
