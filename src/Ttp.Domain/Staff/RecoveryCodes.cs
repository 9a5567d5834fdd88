using System.Security.Cryptography;

namespace Ttp.Domain.Staff;

/// <summary>
/// Recovery codes as Identity makes them (<c>UserManager.GenerateNewTwoFactorRecoveryCodesAsync</c>): two groups of five
/// characters of 23456789BCDFGHJKMNPQRTVWXY joined by a dash, 47 bits each, usable once. A code typed is accepted in any
/// case, with or without the dash and spaces (<see cref="Canonical"/>): the stored hashes are of the printed form.
/// </summary>
public static class RecoveryCodes
{
    /// <summary>How many codes an enrolment or a regeneration gives.</summary>
    public const int Count = 10;

    private const string Alphabet = "23456789BCDFGHJKMNPQRTVWXY";
    private const int GroupLength = 5;

    /// <summary><see cref="Count"/> new codes in their printed form.</summary>
    public static IReadOnlyList<string> New() =>
        Enumerable.Range(0, Count)
            .Select(_ => RandomNumberGenerator.GetString(Alphabet, GroupLength) + "-" + RandomNumberGenerator.GetString(Alphabet, GroupLength))
            .ToList();

    /// <summary>
    /// A code as typed, in its printed form: spaces and dashes removed, upper case, and the dash put back between the two
    /// groups when ten characters remain. Anything else is returned cleaned (it matches no code).
    /// </summary>
    public static string Canonical(string? typed)
    {
        var cleaned = new string((typed ?? string.Empty).Where(c => !char.IsWhiteSpace(c) && c != '-').ToArray()).ToUpperInvariant();
        return cleaned.Length == 2 * GroupLength ? cleaned[..GroupLength] + "-" + cleaned[GroupLength..] : cleaned;
    }
}
