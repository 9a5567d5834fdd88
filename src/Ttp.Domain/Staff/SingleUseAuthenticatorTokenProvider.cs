using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;

namespace Ttp.Domain.Staff;

/// <summary>
/// Identity's authenticator (TOTP) provider, stricter: a code is accepted only from the current time step or one step
/// either side (Identity allows two), and only once. The last accepted step is kept per user as an Identity user token
/// (no model change); a code of that step or an earlier one is refused, so a code seen over a shoulder or replayed from
/// a log cannot be used again. Two sign-ins racing with the same code: the user's concurrency stamp lets one win.
/// </summary>
public sealed class SingleUseAuthenticatorTokenProvider(TimeProvider time) : AuthenticatorTokenProvider<StaffUser>
{
    /// <summary>The user-token "login provider" under which the last accepted step is stored.</summary>
    public const string TokenLoginProvider = "[TtpAuthenticator]";

    /// <summary>The user-token name of the last accepted time step.</summary>
    public const string LastStepTokenName = "LastAcceptedStep";

    /// <summary>How many steps a code may be away from the server's current step.</summary>
    public const int AllowedStepDrift = 1;

    /// <inheritdoc />
    public override async Task<bool> ValidateAsync(string purpose, string token, UserManager<StaffUser> manager, StaffUser user)
    {
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(user);
        var key = await manager.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key) || token is not { Length: 6 } || !token.All(char.IsAsciiDigit))
        {
            return false;
        }

        var code = int.Parse(token, CultureInfo.InvariantCulture);
        var keyBytes = Totp.FromBase32(key);
        var now = Totp.StepAt(time.GetUtcNow());
        long? matched = null;
        for (var step = now - AllowedStepDrift; step <= now + AllowedStepDrift; step++)
        {
            if (Totp.Compute(keyBytes, step) == code)
            {
                matched = step;
            }
        }

        CryptographicOperations.ZeroMemory(keyBytes);
        if (matched is not { } accepted)
        {
            return false;
        }

        var last = await manager.GetAuthenticationTokenAsync(user, TokenLoginProvider, LastStepTokenName);
        if (long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var lastStep) && accepted <= lastStep)
        {
            return false;
        }

        var stored = await manager.SetAuthenticationTokenAsync(user, TokenLoginProvider, LastStepTokenName, accepted.ToString(CultureInfo.InvariantCulture));
        return stored.Succeeded;
    }
}
