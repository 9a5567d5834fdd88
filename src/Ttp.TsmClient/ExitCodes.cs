namespace Ttp.TsmClient;

/// <summary>The exit codes of <c>ttp-tsm</c>, one per kind of failure (docs/TSM-CLIENT.md).</summary>
internal static class ExitCodes
{
    /// <summary>The card was rotated to the TSM's key set and a channel with the new keys proved it.</summary>
    public const int Rotated = 0;

    /// <summary>Anything not foreseen.</summary>
    public const int Unexpected = 1;

    /// <summary>A bad argument or input file (KEK file, new-keys file, certificate).</summary>
    public const int BadInput = 2;

    /// <summary>The card cannot be reached, or answered something a GlobalPlatform card would not.</summary>
    public const int Card = 3;

    /// <summary>The TTP refused the key request (a SOAP fault: its code and RequestId are printed).</summary>
    public const int TtpRefused = 4;

    /// <summary>The TTP cannot be used: not reachable, not trusted (its certificate, or a URL in 5F50 naming another TTP), or its WSDL does not match.</summary>
    public const int TtpUnavailable = 5;

    /// <summary>The keys the TTP delivered do not unwrap under the KEK, or their check values do not match: no channel is attempted.</summary>
    public const int Delivery = 6;

    /// <summary>The secure channel did not open: the card cryptogram does not verify, or the card refused the host's.</summary>
    public const int Channel = 7;

    /// <summary>The card refused PUT KEY, or the new keys did not open a channel afterwards.</summary>
    public const int Rotation = 8;
}
