using System.Security.Cryptography;

namespace Ttp.Domain.Keks;

/// <summary>A generated KEK's record and its components, one per custodian; disposing clears the components.</summary>
public sealed class GeneratedKek(Kek kek, byte[][] components, IReadOnlyList<string> componentCheckValues) : IDisposable
{
    public Kek Kek { get; } = kek;

    /// <summary>The components, in order; each goes to one custodian only.</summary>
    public IReadOnlyList<byte[]> Components { get; } = components;

    /// <summary>The check value of each component.</summary>
    public IReadOnlyList<string> ComponentCheckValues { get; } = componentCheckValues;

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var component in Components)
        {
            CryptographicOperations.ZeroMemory(component);
        }
    }
}
