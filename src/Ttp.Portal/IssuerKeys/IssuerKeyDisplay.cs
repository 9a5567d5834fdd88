using MudBlazor;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Domain.IssuerKeys;

namespace Ttp.Portal.IssuerKeys;

/// <summary>How key-set states and attributes read on the issuer key pages (times: <see cref="Components.Shared.TimeDisplay"/>; audit details: <see cref="Accreditation.TsmDisplay"/>).</summary>
public static class IssuerKeyDisplay
{
    /// <summary>The chip colour of a state.</summary>
    public static Color StateColor(IssuerKeySetState state) => state switch
    {
        IssuerKeySetState.PendingActivation => Color.Warning,
        IssuerKeySetState.Active => Color.Success,
        IssuerKeySetState.Suspended => Color.Secondary,
        IssuerKeySetState.Retired => Color.Default,
        _ => Color.Default,
    };

    /// <summary>The state in words.</summary>
    public static string StateText(IssuerKeySetState state) => state switch
    {
        IssuerKeySetState.PendingActivation => "Pending activation",
        IssuerKeySetState.Active => "Active",
        IssuerKeySetState.Suspended => "Suspended",
        IssuerKeySetState.Retired => "Retired",
        _ => state.ToString(),
    };

    /// <summary>The secure channel scheme as GlobalPlatform names it.</summary>
    public static string SchemeText(SecureChannelScheme scheme) => scheme switch
    {
        SecureChannelScheme.Scp02 => "SCP02",
        SecureChannelScheme.Scp03 => "SCP03",
        _ => scheme.ToString(),
    };

    /// <summary>The diversification method as the issuers' documents name it.</summary>
    public static string MethodText(DiversificationMethod method) => method switch
    {
        DiversificationMethod.None => "None (static keys)",
        DiversificationMethod.EmvCps11 => "EMV CPS 1.1",
        DiversificationMethod.Visa2 => "Visa2",
        DiversificationMethod.Kdf3 => "KDF3 (SCP03)",
        _ => method.ToString(),
    };

    /// <summary>The master key's length in bits and algorithm, e.g. "128 bits (TDES2)".</summary>
    public static string LengthText(IssuerKeySet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        return $"{set.KeyLength * 8} bits ({set.Algorithm})";
    }

    /// <summary>The path of a key set's page.</summary>
    public static string DetailsHref(IssuerKeySet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        return $"issuer-keys/{set.Iin}/{set.Kvn}";
    }
}
