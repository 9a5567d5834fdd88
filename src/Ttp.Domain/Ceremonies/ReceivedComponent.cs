using System.Security.Cryptography;

namespace Ttp.Domain.Ceremonies;

/// <summary>
/// A generated KEK's component as its custodian receives it, once: it exists nowhere else (the ceremony keeps only the
/// sealed key and the part not yet handed out). Disposing clears it.
/// </summary>
public sealed class ReceivedComponent(Ceremony ceremony, int number, byte[] component, string checkValue) : IDisposable
{
    public Ceremony Ceremony { get; } = ceremony;

    /// <summary>1-based number of the component ...</summary>
    public int Number { get; } = number;

    /// <summary>... of this many.</summary>
    public int Of => Ceremony.ComponentsExpected;

    /// <summary>The component; cleared by <see cref="Dispose"/>.</summary>
    public byte[] Component { get; } = component;

    /// <summary>The component's check value (uppercase hex).</summary>
    public string CheckValue { get; } = checkValue;

    /// <summary>The check value of the KEK the components combine into.</summary>
    public string FinalCheckValue => Ceremony.FinalCheckValue ?? string.Empty;

    /// <inheritdoc />
    public void Dispose() => CryptographicOperations.ZeroMemory(Component);
}
