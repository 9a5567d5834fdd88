using System.Globalization;
using Ttp.Crypto;
using Ttp.TsmClient.Card;
using Ttp.TsmClient.Channel;
using Ttp.TsmClient.Keys;
using Ttp.TsmClient.Ttp;

namespace Ttp.TsmClient;

/// <summary>
/// <c>ttp-tsm provision</c>: steps 2 to 8 of the scheme for one card, each printed as it happens (check values, never a
/// key): read the card, ask the TTP (after checking its WSDL), unwrap under the KEK, open the secure channel, replace the
/// key set with the TSM's own by PUT KEY, and prove it with a new channel under the new keys.
/// </summary>
internal sealed class ProvisionRun(ProvisionOptions options, StepWriter steps, TimeProvider time)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var kek = KeyFiles.ReadKek(options.KekFile);
        var trust = ServerTrust.Load(options.Ca);
        using var certificate = ClientCertificate.Load(options.ClientCertificate, options.ClientKey, time.GetUtcNow());
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var card = new CardConnection(http, options.Card);

        var info = await CardReader.ReadAsync(card, options.KeyVersion, cancellationToken).ConfigureAwait(false);
        steps.Write("card", Describe(info));
        var (newVersion, newKeys) = KeyFiles.ReadNewKeySet(options.NewKeys, info.Scp);
        using (newKeys)
        {
            var endpoint = ChooseTtp(info);
            var ttp = new TtpClient(endpoint, certificate, trust, "ttp");
            var wsdl = await ttp.FetchWsdlAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                steps.Write("wsdl", "checked: " + WsdlCheck.Check(wsdl));
            }
            catch (WsdlMismatchException e)
            {
                throw new ProvisionException("wsdl", ExitCodes.TtpUnavailable, $"the TTP's WSDL does not match this client: {e.Message}");
            }

            var response = await ttp.GetKeysAsync(Request(info), cancellationToken).ConfigureAwait(false);
            RequireScheme(response, info);
            steps.Write("ttp", $"RequestId {response.RequestId}: {response.Scheme} KVN {response.KeyVersionNumber:X2} ({response.DiversificationMethod}), " +
                $"{response.Format} under KEK {response.KekIndex} (check value {response.KekCheckValue})");

            using var keys = DeliveryUnwrapper.Unwrap(response, kek, options.KekIndex, info.Scp);
            steps.Write("unwrap", $"{CheckValues(info.Scp, keys)}: match the TTP's");

            using (var channel = await HostChannel.OpenAsync(card, info, info.KeyVersion, keys, options.SecurityLevel, "channel", cancellationToken).ConfigureAwait(false))
            {
                steps.Write("channel", $"KVN {info.KeyVersion:X2}, SCP0{info.Scp} i={info.ScpOption:X2}, {HostChannel.DescribeLevel(options.SecurityLevel)}: card cryptogram verified, EXTERNAL AUTHENTICATE 9000");
                await PutKey.ReplaceAsync(channel, info.Scp, newVersion, newKeys, cancellationToken).ConfigureAwait(false);
                steps.Write("put-key", $"KVN {info.KeyVersion:X2} replaced by KVN {newVersion:X2}: the card answered {CheckValues(info.Scp, newKeys)}");
            }

            await ProveAsync(card, info, newVersion, newKeys, cancellationToken).ConfigureAwait(false);
            steps.Write("done", $"card IIN {Hex.Encode(info.Iin)} KDD {Hex.Encode(info.Kdd)} now opens only with the TSM's key set KVN {newVersion:X2}");
        }
    }

    private async Task ProveAsync(CardConnection card, CardInfo info, byte newVersion, CardKeys newKeys, CancellationToken cancellationToken)
    {
        try
        {
            using var proof = await HostChannel.OpenAsync(card, info, newVersion, newKeys, options.SecurityLevel, "verify", cancellationToken).ConfigureAwait(false);
        }
        catch (ProvisionException e) when (e.ExitCode == ExitCodes.Channel)
        {
            throw new ProvisionException("verify", ExitCodes.Rotation, $"the new keys do not open the card: {e.Message}");
        }

        var old = string.Empty;
        if (newVersion != info.KeyVersion)
        {
            var probe = await card.TransmitAsync([0x80, 0x50, info.KeyVersion, 0x00, 0x08, .. new byte[8], 0x00], "verify", cancellationToken).ConfigureAwait(false);
            if (probe.Status != 0x6A88)
            {
                throw new ProvisionException("verify", ExitCodes.Rotation, $"the card still knows KVN {info.KeyVersion:X2} (INITIALIZE UPDATE answered {probe.Describe()})");
            }

            old = $"; KVN {info.KeyVersion:X2} is gone (INITIALIZE UPDATE answers 6A88)";
        }

        steps.Write("verify", $"KVN {newVersion:X2}: a new channel with the TSM's keys opened (card cryptogram verified, EXTERNAL AUTHENTICATE 9000){old}");
    }

    // --ttp wins; else the card's 5F50, which must be https (the trust check in the handshake then decides).
    private Uri ChooseTtp(CardInfo info)
    {
        if (options.Ttp is { } chosen)
        {
            var note = info.SecurityDomainManagerUrl is { } named && named != chosen.ToString() ? $" (the card names {named} in 5F50)" : string.Empty;
            steps.Write("ttp", $"{chosen} (--ttp){note}");
            return chosen;
        }

        var url = info.SecurityDomainManagerUrl
            ?? throw new ProvisionException("ttp", ExitCodes.BadInput, "the card names no TTP (no 5F50 Security Domain Manager URL): give --ttp URL");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new ProvisionException("ttp", ExitCodes.TtpUnavailable, $"the card's 5F50 names '{url}', not an https URL: refused; give --ttp URL to ask your TTP");
        }

        steps.Write("ttp", $"{uri} (the card's 5F50); only a TTP whose certificate chains to --ca is asked");
        return uri;
    }

    private KeyRequest Request(CardInfo info) => new()
    {
        SecurityDomainManagerUrl = info.SecurityDomainManagerUrl,
        KeyDiversificationData = Hex.Encode(info.Kdd),
        KeyInformationTemplate = Hex.Encode(info.KeyInformationTemplate),
        SequenceCounter = info.SequenceCounter is null ? null : Hex.Encode(info.SequenceCounter),
        IssuerIdentificationNumber = Hex.Encode(info.Iin),
        CardImageNumber = info.Cin is null ? null : Hex.Encode(info.Cin),
        KeyVersionNumber = info.KeyVersion,
        KeyVersionNumberSpecified = true,
        KekIndex = options.KekIndex,
    };

    private static void RequireScheme(KeyResponse response, CardInfo info)
    {
        if (response.Scheme != $"SCP0{info.Scp}" || response.KeyVersionNumber != info.KeyVersion)
        {
            throw new ProvisionException("ttp", ExitCodes.Delivery,
                $"the TTP answered {response.Scheme} KVN {response.KeyVersionNumber:X2} for a card with SCP0{info.Scp} KVN {info.KeyVersion:X2} (RequestId {response.RequestId})");
        }
    }

    private static string Describe(CardInfo info)
    {
        var parts = new List<string>
        {
            $"ISD {Hex.Encode(info.IsdAid)}",
            $"IIN {Hex.Encode(info.Iin)}",
        };
        if (info.Cin is not null)
        {
            parts.Add($"CIN {Hex.Encode(info.Cin)}");
        }

        parts.Add($"KDD {Hex.Encode(info.Kdd)}");
        parts.Add($"SCP0{info.Scp} i={info.ScpOption:X2}");
        parts.Add($"key set KVN {info.KeyVersion:X2} ({info.KeyLength}-byte keys)");
        if (info.SequenceCounter is not null)
        {
            parts.Add($"sequence counter {Hex.Encode(info.SequenceCounter)}");
        }

        return string.Join(", ", parts);
    }

    private static string CheckValues(int scp, CardKeys keys)
    {
        string Kcv(byte[] key) => Hex.Encode(scp == 2 ? KeyCheckValue.Des(key) : KeyCheckValue.AesGlobalPlatform(key));
        return string.Create(CultureInfo.InvariantCulture, $"check values ENC {Kcv(keys.Enc)}, MAC {Kcv(keys.Mac)}, DEK {Kcv(keys.Dek)}");
    }
}
