using System.Security.Cryptography;

namespace Ttp.CardSimulator;

/// <summary>
/// A secure channel session of the Issuer Security Domain, from INITIALIZE UPDATE to its end: the card's side of
/// mutual authentication and of the secure messaging of the commands after it
/// (GlobalPlatform Card Specification 2.3.1, 10.2 and annex E; Amendment D v1.1.2, 6.2).
/// </summary>
public abstract class SecureChannel : IDisposable
{
    /// <summary>Security level bit: C-MAC.</summary>
    public const byte CommandMac = 0x01;

    /// <summary>Security level bit: C-DECRYPTION.</summary>
    public const byte CommandDecryption = 0x02;

    /// <summary>Security level bit: R-MAC.</summary>
    public const byte ResponseMac = 0x10;

    /// <summary>The EXTERNAL AUTHENTICATE header length plus host cryptogram and C-MAC.</summary>
    protected const int ExternalAuthenticateDataLength = 16;

    protected SecureChannel(CardKeySet keySet) => KeySet = keySet;

    /// <summary>The key set the session was opened with.</summary>
    public CardKeySet KeySet { get; }

    /// <summary>Whether EXTERNAL AUTHENTICATE succeeded.</summary>
    public bool IsAuthenticated { get; private set; }

    /// <summary>The security level P1 of EXTERNAL AUTHENTICATE.</summary>
    public byte SecurityLevel { get; private set; }

    /// <summary>The INITIALIZE UPDATE response data (without the status word).</summary>
    public abstract byte[] InitializeUpdateResponse { get; }

    /// <summary>
    /// Checks EXTERNAL AUTHENTICATE: security level, host cryptogram (6300 when wrong) and C-MAC (6982 when wrong).
    /// </summary>
    public void Authenticate(CommandApdu command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!command.IsSecured)
        {
            throw new CardException(StatusWord.SecurityStatusNotSatisfied, "EXTERNAL AUTHENTICATE must carry a C-MAC");
        }

        if (command.P2 != 0x00 || !IsSupportedLevel(command.P1))
        {
            throw new CardException(StatusWord.IncorrectP1P2, "unsupported security level");
        }

        if (command.Data.Length != ExternalAuthenticateDataLength)
        {
            throw new CardException(StatusWord.WrongLength, "EXTERNAL AUTHENTICATE carries 8 bytes of cryptogram and 8 of C-MAC");
        }

        var expected = HostCryptogram();
        var matches = CryptographicOperations.FixedTimeEquals(expected, command.Data.AsSpan(0, 8));
        CryptographicOperations.ZeroMemory(expected);
        if (!matches)
        {
            throw new CardException(StatusWord.AuthenticationFailed, "host cryptogram does not verify");
        }

        VerifyExternalAuthenticateMac(command);
        SecurityLevel = command.P1;
        IsAuthenticated = true;
    }

    /// <summary>Checks and removes the secure messaging of a command (CLA <c>84</c>); 6982 when it fails.</summary>
    public abstract CommandApdu Unwrap(CommandApdu command);

    /// <summary>Adds what the security level asks of a response (SCP03 R-MAC); the default adds nothing.</summary>
    public virtual byte[] Wrap(byte[] data, ushort status) => Append(data, status);

    /// <summary>Decrypts one key value of PUT KEY under the key the protocol names (SCP02 S-DEK, SCP03 static DEK).</summary>
    public abstract byte[] DecryptKey(ReadOnlySpan<byte> encrypted);

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>The response APDU data || SW1 SW2.</summary>
    public static byte[] Append(ReadOnlySpan<byte> data, ushort status)
    {
        var response = new byte[data.Length + 2];
        data.CopyTo(response);
        response[^2] = (byte)(status >> 8);
        response[^1] = (byte)status;
        return response;
    }

    /// <summary>Removes the <c>80 00..</c> padding of decrypted command data; a bad padding is 6982.</summary>
    protected static byte[] RemovePadding(byte[] padded, int blockSize)
    {
        ArgumentNullException.ThrowIfNull(padded);
        var end = padded.Length - 1;
        while (end >= 0 && padded.Length - end <= blockSize && padded[end] == 0x00)
        {
            end--;
        }

        if (end < 0 || padded[end] != 0x80 || padded.Length - end > blockSize)
        {
            CryptographicOperations.ZeroMemory(padded);
            throw new CardException(StatusWord.SecurityStatusNotSatisfied, "decrypted data is not padded with 80 00..");
        }

        var clear = padded[..end];
        CryptographicOperations.ZeroMemory(padded);
        return clear;
    }

    /// <summary>Whether the protocol and key set allow this security level.</summary>
    protected abstract bool IsSupportedLevel(byte level);

    /// <summary>The host cryptogram the card expects.</summary>
    protected abstract byte[] HostCryptogram();

    /// <summary>Checks the C-MAC of EXTERNAL AUTHENTICATE and starts the MAC chain; 6982 when wrong.</summary>
    protected abstract void VerifyExternalAuthenticateMac(CommandApdu command);

    protected abstract void Dispose(bool disposing);

    protected static void RequireMac(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> received)
    {
        if (!CryptographicOperations.FixedTimeEquals(expected, received))
        {
            throw new CardException(StatusWord.SecurityStatusNotSatisfied, "C-MAC does not verify");
        }
    }
}
