using System.CommandLine;
using System.Security.Cryptography;
using Ttp.Crypto;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Crypto.KeyBlocks;

namespace Ttp.Cli.Commands;

/// <summary>
/// <c>ttpctl crypto ...</c>: the crypto core by hand, for operators checking values and for automation.
/// Hex in either case, hex out in uppercase, JSON on stdout.
/// </summary>
internal static class CryptoCommand
{
    public static Command Create(CliOutput output) => new("crypto", "GlobalPlatform and key-block computations, offline.")
    {
        Diversify(output),
        Kcv(output),
        Scp02(output),
        Scp03(output),
        KeyBlock(output),
        Components(output),
        Tlv(output),
    };

    private static Command Diversify(CliOutput output)
    {
        var method = Choice("--method", "Diversification method.", "emv", "visa2", "kdf3", "none");
        var masterKey = HexOption("--master-key", "Issuer master key: 16 bytes TDES (emv, visa2), 16/24/32 bytes AES (kdf3).");
        var kdd = HexOption("--kdd", "Key diversification data: the 10-byte value of tag CF.");
        var algorithm = Choice("--algorithm", "Key algorithm for the check values; needed with --method none.", required: false, "tdes", "aes");
        var command = new Command("diversify", "Derive a card's ENC, MAC and DEK keys from an issuer master key.")
        {
            method, masterKey, kdd, algorithm,
        };
        command.SetAction(parse =>
        {
            var chosen = parse.GetRequiredValue(method) switch
            {
                "emv" => DiversificationMethod.EmvCps11,
                "visa2" => DiversificationMethod.Visa2,
                "kdf3" => DiversificationMethod.Kdf3,
                _ => DiversificationMethod.None,
            };
            var aes = (chosen, parse.GetValue(algorithm)) switch
            {
                (DiversificationMethod.None, null) => throw new CliUsageException("--algorithm: required with --method none (tdes or aes)"),
                (DiversificationMethod.None, var named) => named == "aes",
                (DiversificationMethod.Kdf3, "tdes") => throw new CliUsageException("--algorithm: kdf3 derives AES keys, not tdes"),
                (DiversificationMethod.EmvCps11 or DiversificationMethod.Visa2, "aes") =>
                    throw new CliUsageException("--algorithm: emv and visa2 derive TDES keys, not aes"),
                (var m, _) => m == DiversificationMethod.Kdf3,
            };

            using var mk = new SensitiveBytes(Hex.Parse(parse.GetValue(masterKey), "master-key"));
            var kddBytes = Hex.Parse(parse.GetValue(kdd), "kdd");
            using var keys = KeyDiversification.DeriveAll(chosen, mk.Bytes, kddBytes);
            output.WriteJson(new
            {
                Enc = Hex.Encode(keys.Enc),
                Mac = Hex.Encode(keys.Mac),
                Dek = Hex.Encode(keys.Dek),
                Kcv = new
                {
                    Enc = Hex.Encode(CheckValue(keys.Enc, aes)),
                    Mac = Hex.Encode(CheckValue(keys.Mac, aes)),
                    Dek = Hex.Encode(CheckValue(keys.Dek, aes)),
                },
            });
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Kcv(CliOutput output)
    {
        var algorithm = Choice("--algorithm", "Key algorithm.", "tdes", "aes");
        var key = HexOption("--key", "The key.");
        var type = Choice("--type", "gp: DES over 8x00 / AES over 16x01, 3 bytes (default); cmac: X9.24-1 CMAC over zeros, 5 bytes.", required: false, "gp", "cmac");
        var command = new Command("kcv", "Compute a key check value.") { algorithm, key, type };
        command.SetAction(parse =>
        {
            using var k = new SensitiveBytes(Hex.Parse(parse.GetValue(key), "key"));
            var kcv = (parse.GetRequiredValue(algorithm), parse.GetValue(type) ?? "gp") switch
            {
                ("tdes", "cmac") => KeyCheckValue.TdesCmac(k.Bytes),
                ("tdes", _) => KeyCheckValue.Des(k.Bytes),
                (_, "cmac") => KeyCheckValue.AesCmac(k.Bytes),
                _ => KeyCheckValue.AesGlobalPlatform(k.Bytes),
            };
            output.WriteJson(new { Kcv = Hex.Encode(kcv) });
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Scp02(CliOutput output)
    {
        var enc = HexOption("--enc", "Static K_ENC (16 bytes).");
        var mac = HexOption("--mac", "Static K_MAC (16 bytes).");
        var dek = HexOption("--dek", "Static K_DEK (16 bytes).");
        var counter = HexOption("--sequence-counter", "Sequence counter (2 bytes).");
        var host = HexOption("--host-challenge", "Host challenge (8 bytes); with --card-challenge, computes the cryptograms.", required: false);
        var card = HexOption("--card-challenge", "Card challenge (6 bytes).", required: false);
        var command = new Command("scp02", "SCP02 session keys and, given the challenges, the card and host cryptograms.")
        {
            enc, mac, dek, counter, host, card,
        };
        command.SetAction(parse =>
        {
            var (hostText, cardText) = (parse.GetValue(host), parse.GetValue(card));
            if ((hostText is null) != (cardText is null))
            {
                throw new CliUsageException("--host-challenge and --card-challenge: give both or neither");
            }

            using var e = new SensitiveBytes(Hex.Parse(parse.GetValue(enc), "enc"));
            using var m = new SensitiveBytes(Hex.Parse(parse.GetValue(mac), "mac"));
            using var d = new SensitiveBytes(Hex.Parse(parse.GetValue(dek), "dek"));
            var sequence = Hex.Parse(parse.GetValue(counter), "sequence-counter");
            using var session = Crypto.GlobalPlatform.Scp02.DeriveSessionKeys(e.Bytes, m.Bytes, d.Bytes, sequence);
            string? cardCryptogram = null, hostCryptogram = null;
            if (hostText is not null && cardText is not null)
            {
                var hc = Hex.Parse(hostText, "host-challenge");
                var cc = Hex.Parse(cardText, "card-challenge");
                cardCryptogram = Hex.Encode(Crypto.GlobalPlatform.Scp02.CardCryptogram(session.SEnc, sequence, hc, cc));
                hostCryptogram = Hex.Encode(Crypto.GlobalPlatform.Scp02.HostCryptogram(session.SEnc, sequence, hc, cc));
            }

            output.WriteJson(new
            {
                SEnc = Hex.Encode(session.SEnc),
                SMac = Hex.Encode(session.SMac),
                SRmac = Hex.Encode(session.SRmac),
                SDek = Hex.Encode(session.SDek),
                CardCryptogram = cardCryptogram,
                HostCryptogram = hostCryptogram,
            });
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Scp03(CliOutput output)
    {
        var enc = HexOption("--enc", "Static K_ENC (AES, 16/24/32 bytes).");
        var mac = HexOption("--mac", "Static K_MAC (AES, same length).");
        var host = HexOption("--host-challenge", "Host challenge (8 bytes).");
        var card = HexOption("--card-challenge", "Card challenge (8 bytes).");
        var command = new Command("scp03", "SCP03 session keys and the card and host cryptograms.") { enc, mac, host, card };
        command.SetAction(parse =>
        {
            using var e = new SensitiveBytes(Hex.Parse(parse.GetValue(enc), "enc"));
            using var m = new SensitiveBytes(Hex.Parse(parse.GetValue(mac), "mac"));
            var hc = Hex.Parse(parse.GetValue(host), "host-challenge");
            var cc = Hex.Parse(parse.GetValue(card), "card-challenge");
            using var session = Crypto.GlobalPlatform.Scp03.DeriveSessionKeys(e.Bytes, m.Bytes, hc, cc);
            output.WriteJson(new
            {
                SEnc = Hex.Encode(session.SEnc),
                SMac = Hex.Encode(session.SMac),
                SRmac = Hex.Encode(session.SRmac),
                CardCryptogram = Hex.Encode(Crypto.GlobalPlatform.Scp03.CardCryptogram(session.SMac, hc, cc)),
                HostCryptogram = Hex.Encode(Crypto.GlobalPlatform.Scp03.HostCryptogram(session.SMac, hc, cc)),
            });
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command KeyBlock(CliOutput output)
    {
        var unwrapKbpk = HexOption("--kbpk", "Key block protection key: TDES (version B) or AES (version D).");
        var block = new Option<string>("--block") { Description = "The TR-31 key block.", Required = true };
        var unwrap = new Command("unwrap", "Verify and decrypt a TR-31 key block (versions B and D).") { unwrapKbpk, block };
        unwrap.SetAction(parse =>
        {
            using var kbpk = new SensitiveBytes(Hex.Parse(parse.GetValue(unwrapKbpk), "kbpk"));
            using var result = Tr31KeyBlock.Unwrap(kbpk.Bytes, parse.GetRequiredValue(block));
            var header = result.Header;
            output.WriteJson(new
            {
                Version = header.Version.ToString(),
                Usage = header.KeyUsage,
                Algorithm = header.Algorithm.ToString(),
                Mode = header.ModeOfUse.ToString(),
                KeyVersion = header.KeyVersionNumber,
                Exportability = header.Exportability.ToString(),
                Key = Hex.Encode(result.Key),
                Kcv = Hex.Encode(CheckValue(result.Key, header.Algorithm == 'A')),
                OptionalBlocks = header.OptionalBlocks.Count == 0
                    ? null
                    : header.OptionalBlocks.Select(b => new { b.Id, b.Data }).ToArray(),
            });
            return ExitCodes.Success;
        });

        var wrapKbpk = HexOption("--kbpk", "Key block protection key: TDES (version B) or AES (version D).");
        var key = HexOption("--key", "The key to wrap.");
        var usage = new Option<string>("--usage") { Description = "Key usage, two characters (e.g. D0, M3, M6, K0).", Required = true };
        var algorithm = Choice("--algorithm", "Algorithm of the wrapped key: A (AES) or T (TDES).", "A", "T");
        var mode = new Option<string>("--mode") { Description = "Mode of use, one character (e.g. B, C, E, D, N, X).", Required = true };
        var version = Choice("--version", "Key block version: D (AES KBPK, default) or B (TDES KBPK).", required: false, "B", "D");
        var keyVersion = new Option<string>("--key-version") { Description = "Key version number, two characters (default 00)." };
        var exportability = Choice("--exportability", "E exportable, N non-exportable (default), S sensitive.", required: false, "E", "N", "S");
        var wrap = new Command("wrap", "Wrap a key in a TR-31 key block (versions B and D).")
        {
            wrapKbpk, key, usage, algorithm, mode, version, keyVersion, exportability,
        };
        wrap.SetAction(parse =>
        {
            var header = new Tr31Header
            {
                Version = (parse.GetValue(version) ?? "D")[0],
                KeyUsage = parse.GetRequiredValue(usage),
                Algorithm = parse.GetRequiredValue(algorithm)[0],
                ModeOfUse = SingleCharacter(parse.GetRequiredValue(mode), "mode"),
                KeyVersionNumber = parse.GetValue(keyVersion) ?? "00",
                Exportability = (parse.GetValue(exportability) ?? "N")[0],
                KeyContext = "00",
                OptionalBlocks = [],
            };
            using var kbpk = new SensitiveBytes(Hex.Parse(parse.GetValue(wrapKbpk), "kbpk"));
            using var k = new SensitiveBytes(Hex.Parse(parse.GetValue(key), "key"));
            output.WriteJson(new { Block = Tr31KeyBlock.Wrap(kbpk.Bytes, header, k.Bytes) });
            return ExitCodes.Success;
        });

        return new Command("keyblock", "TR-31 / ANSI X9.143 key blocks.") { unwrap, wrap };
    }

    private static Command Components(CliOutput output)
    {
        var component = new Option<string[]>("--component")
        {
            Description = "A key component in hex; repeat for each (at least two).",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        var algorithm = Choice("--algorithm", "Key algorithm for the check values (default: tdes for 16/24 bytes, aes for 32).", required: false, "tdes", "aes");
        var combine = new Command("combine", "XOR key components into the key, with check values.") { component, algorithm };
        combine.SetAction(parse =>
        {
            var parts = ComponentInput.Parse(parse.GetRequiredValue(component));
            try
            {
                using var key = new SensitiveBytes(KeyComponents.Combine(parts));
                var aes = parse.GetValue(algorithm) switch
                {
                    "aes" => true,
                    "tdes" => false,
                    _ => key.Bytes.Length == 32,
                };
                output.WriteJson(new
                {
                    Key = Hex.Encode(key.Bytes),
                    Kcv = Hex.Encode(CheckValue(key.Bytes, aes)),
                    ComponentKcvs = parts.Select(p => Hex.Encode(CheckValue(p, aes))).ToArray(),
                });
            }
            finally
            {
                ComponentInput.Clear(parts);
            }

            return ExitCodes.Success;
        });
        return new Command("components", "Key components (split knowledge).") { combine };
    }

    private static Command Tlv(CliOutput output)
    {
        var hex = HexOption("--hex", "BER-TLV data, e.g. the answer to GET DATA.");
        var command = new Command("tlv", "Decode BER-TLV, naming GlobalPlatform tags.") { hex };
        command.SetAction(parse =>
        {
            var data = Hex.Parse(parse.GetValue(hex), "hex");
            output.WriteJson(GpTlvDescription.Describe(BerTlv.Parse(data, "hex")));
            return ExitCodes.Success;
        });
        return command;
    }

    private static byte[] CheckValue(ReadOnlySpan<byte> key, bool aes) =>
        aes ? KeyCheckValue.AesGlobalPlatform(key) : KeyCheckValue.Des(key);

    private static char SingleCharacter(string value, string field) =>
        value.Length == 1 ? value[0] : throw new CliUsageException($"--{field}: expected one character, found {value.Length}");

    private static Option<string> HexOption(string name, string description, bool required = true) =>
        new(name) { Description = description, Required = required, HelpName = "HEX" };

    private static Option<string> Choice(string name, string description, params string[] values) =>
        AdminCommands.Choice(name, description, required: true, values);

    private static Option<string> Choice(string name, string description, bool required, params string[] values) =>
        AdminCommands.Choice(name, description, required, values);
}
