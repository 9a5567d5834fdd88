using System.Security.Cryptography;
using Ttp.Crypto;

namespace Ttp.Domain;

/// <summary>
/// Combines key components entered as a bootstrap/automation path (docs/DESIGN.md section 4 describes the ceremony, which
/// is the dual-control path): at least two components, each of the key's length, XORed into the key. Returns the key
/// and a check value per component for the audit record; clears the components.
/// </summary>
internal static class KeyComponentImport
{
    public static SensitiveBytes Combine(IReadOnlyList<byte[]> components, int keyLength, Func<byte[], byte[]> checkValue, out string[] componentCheckValues)
    {
        try
        {
            if (components.Count < KeyComponents.MinimumCount)
            {
                throw new DomainInputException($"component: at least {KeyComponents.MinimumCount} components are required, found {components.Count}");
            }

            for (var i = 0; i < components.Count; i++)
            {
                if (components[i].Length != keyLength)
                {
                    throw new DomainInputException($"component {i + 1}: expected {keyLength} bytes, found {components[i].Length}");
                }
            }

            componentCheckValues = components.Select(c => Hex.Encode(checkValue(c))).ToArray();
            return new SensitiveBytes(KeyComponents.Combine(components));
        }
        finally
        {
            Clear(components);
        }
    }

    /// <summary>Clears the components.</summary>
    public static void Clear(IReadOnlyList<byte[]> components)
    {
        foreach (var component in components)
        {
            CryptographicOperations.ZeroMemory(component);
        }
    }
}
