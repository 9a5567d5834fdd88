using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Tests.Shared;

namespace Ttp.Domain.Tests.Audit;

/// <summary>
/// The documented checkpoint format, checked with tools outside the product: the payload byte for byte, the signature
/// with the openssl command line, the whole export with the reference verifier written from docs/OPERATIONS.md in Python.
/// </summary>
public sealed class AuditCheckpointFormatTests
{
    private static readonly DateTimeOffset Time = new DateTimeOffset(2026, 12, 7, 10, 11, 12, TimeSpan.Zero).AddTicks(1_234_560);

    [Fact]
    public void Payload_IsTheDocumentedText()
    {
        var checkpoint = new AuditCheckpoint(1_204_332, Enumerable.Repeat((byte)0x11, 32).ToArray(), Time, Enumerable.Repeat((byte)0x22, 32).ToArray(), 7, new string('c', 64), [0x30]);

        var expected = "ttp-audit-checkpoint-v1\nsequence=1204332\nchain_hash=" + new string('1', 64) + "\ntime=2026-12-07T10:11:12.123456Z\n" +
            "previous=" + new string('2', 64) + "\nhmac_through=7\nkey_id=" + new string('c', 64) + "\n";
        Assert.Equal(expected, Encoding.UTF8.GetString(checkpoint.Payload()));
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(expected)), checkpoint.ComputeHash());
        Assert.Equal("checkpoint at sequence 1,204,332", checkpoint.ToString());
    }

    [Fact]
    public async Task Signature_VerifiedByOpenssl_AndFingerprintIsSha256OfTheDerKey()
    {
        var folder = Directory.CreateTempSubdirectory("ttp-openssl-").FullName;
        try
        {
            var scalar = AuditSigningKey.GeneratePrivateScalar();
            using var key = AuditSigningKey.FromPrivateScalar(scalar);
            CryptographicOperations.ZeroMemory(scalar);
            var checkpoint = AuditCheckpoint.Sign(key, new AuditChainPosition(42, SHA256.HashData([1])), Time, new byte[32], 0);
            await File.WriteAllTextAsync(Path.Combine(folder, "key.pem"), key.PublicKey.Pem);
            await File.WriteAllBytesAsync(Path.Combine(folder, "payload"), checkpoint.Payload());
            await File.WriteAllBytesAsync(Path.Combine(folder, "signature.der"), checkpoint.Signature);

            var (exit, output, _) = await RunAsync("openssl", folder, "dgst", "-sha256", "-verify", "key.pem", "-signature", "signature.der", "payload");
            var (_, der, _) = await RunAsync("openssl", folder, "pkey", "-pubin", "-in", "key.pem", "-outform", "DER", "-out", "key.der");

            Assert.Equal(0, exit);
            Assert.Equal("Verified OK", output.Trim());
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(folder, "key.der")))), key.PublicKey.Fingerprint);
            Assert.Equal(key.PublicKey.Fingerprint, checkpoint.KeyId);
            Assert.Empty(der);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    public static TheoryData<string, string> NonCanonicalJson() => new()
    {
        { "an unknown member", "note" },
        { "a repeated member", "sequence" },
        { "upper-case hex", "chain_hash" },
        { "time without microseconds", "time" },
        { "another version", "version" },
    };

    [Theory]
    [MemberData(nameof(NonCanonicalJson))]
    public void ParseLine_NotCanonical_FormatExceptionNamingTheMember(string change, string member)
    {
        var scalar = AuditSigningKey.GeneratePrivateScalar();
        using var key = AuditSigningKey.FromPrivateScalar(scalar);
        var line = AuditCheckpointJson.ToLine(AuditCheckpoint.Sign(key, new AuditChainPosition(3, SHA256.HashData([3])), Time, new byte[32], 0));
        Assert.Equal(line, AuditCheckpointJson.ToLine(AuditCheckpointJson.ParseLine(line)));
        var hash = Convert.ToHexStringLower(SHA256.HashData([3]));
        var changed = change switch
        {
            "an unknown member" => line.Replace("\"signature\":", "\"note\":\"x\",\"signature\":", StringComparison.Ordinal),
            "a repeated member" => line.Replace("\"chain_hash\":", "\"sequence\":4,\"chain_hash\":", StringComparison.Ordinal),
            "upper-case hex" => line.Replace(hash, hash.ToUpperInvariant(), StringComparison.Ordinal),
            "time without microseconds" => line.Replace("12.123456Z", "12Z", StringComparison.Ordinal),
            _ => line.Replace("\"version\":1", "\"version\":2", StringComparison.Ordinal),
        };

        var error = Assert.Throws<FormatException>(() => AuditCheckpointJson.ParseLine(changed));

        Assert.Contains(member, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReferenceVerifierInPython_IntactExportOkAlteredOrAppendedFails()
    {
        await using var env = await AnchoredTrail.WithTrafficAsync(DatabaseProvider.Sqlite);
        var folder = Directory.CreateTempSubdirectory("ttp-python-").FullName;
        try
        {
            var lines = await AuditExportVerifierTests.ExportAsync(env);
            await File.WriteAllTextAsync(Path.Combine(folder, "key.pem"), (await env.Services.GetRequiredService<AuditTrailVerifier>().PublicKeyAsync()).Pem);
            var script = Path.Combine(Repository.Root, "scripts", "verify-audit-export.py");

            await File.WriteAllLinesAsync(Path.Combine(folder, "export.jsonl"), lines);
            var intact = await RunAsync("/usr/bin/python3", folder, script, "export.jsonl", "key.pem");
            var record = lines.FindLastIndex(l => l.StartsWith("{\"sequence\":", StringComparison.Ordinal));
            await File.WriteAllLinesAsync(Path.Combine(folder, "altered.jsonl"),
                lines.Select((l, i) => i == record ? l.Replace("\"outcome\":\"ok\"", "\"outcome\":\"OK\"", StringComparison.Ordinal) : l));
            var altered = await RunAsync("/usr/bin/python3", folder, script, "altered.jsonl", "key.pem");
            await File.WriteAllLinesAsync(Path.Combine(folder, "appended.jsonl"), [.. lines, AuditExportVerifierTests.NextRecord(lines[record])]);
            var appended = await RunAsync("/usr/bin/python3", folder, script, "appended.jsonl", "key.pem");

            Assert.True(intact.Exit == 0, intact.Error);
            Assert.StartsWith("OK: records 1 to ", intact.Output, StringComparison.Ordinal);
            Assert.Equal(1, altered.Exit);
            Assert.Contains("does not match its hash", altered.Error, StringComparison.Ordinal);
            Assert.Equal(1, appended.Exit);
            Assert.Contains("are not covered by a checkpoint", appended.Error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    internal static async Task<(int Exit, string Output, string Error)> RunAsync(string program, string folder, params string[] args)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
