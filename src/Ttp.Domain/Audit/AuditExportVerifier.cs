using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace Ttp.Domain.Audit;

/// <summary>
/// Verifies an export of <c>ttpctl audit export --format jsonl</c> with the audit signing key's public half alone: no
/// database, no LMK, no configuration (<c>ttpctl audit verify-export</c>; what an auditor can redo with their own tool,
/// docs/OPERATIONS.md). Recomputes the SHA-256 chain over the records from the <c>chain_start</c> line, checks each
/// checkpoint's signature, its link to the checkpoint before it and that it matches the record it follows, and that every
/// record is covered by a checkpoint. Streams the file line by line. An export of a filter marks the records that match
/// it <c>"match":true</c> (outside the hash; counted in <see cref="AuditExportVerificationResult.RecordsMatched"/>).
/// </summary>
/// <remarks>
/// Records after the export's last checkpoint fail the verification ("not covered by a checkpoint"): an export always
/// ends at a checkpoint, so such records were appended to the file, or the checkpoint after them was cut off. Records of
/// the previous release (up to <see cref="AuditExportVerificationResult.HmacThrough"/>) cannot be checked without the
/// TTP's HMAC key: their hashes are taken as given and the first checkpoint pins the last of them.
/// </remarks>
public static class AuditExportVerifier
{
    /// <summary>Verifies <paramref name="export"/>; the first problem is a result, not an exception.</summary>
    /// <param name="export">The export (JSON Lines).</param>
    /// <param name="publicKey">The audit signing key's public half, as the auditor keeps it.</param>
    /// <param name="kept">Checkpoints the auditor kept earlier (e.g. one a day): each must be signed by the key, and the
    /// export must match every one that falls within it.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    public static async Task<AuditExportVerificationResult> VerifyAsync(
        TextReader export, AuditPublicKey publicKey, IReadOnlyList<AuditCheckpoint>? kept = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(export);
        ArgumentNullException.ThrowIfNull(publicKey);
        var result = new AuditExportVerificationResult();
        var keptBySequence = new Dictionary<long, AuditCheckpoint>();
        foreach (var checkpoint in kept ?? [])
        {
            if (!checkpoint.IsSignedBy(publicKey))
            {
                result.Problem = $"the kept {checkpoint} is not signed by this public key";
                return result;
            }

            keptBySequence[checkpoint.Sequence] = checkpoint;
        }

        using var state = new State(publicKey, keptBySequence, result);
        long number = 0;
        while (await export.ReadLineAsync(cancellationToken) is { } text)
        {
            number++;
            if (text.Length == 0)
            {
                continue;
            }

            string? problem;
            try
            {
                using var document = JsonDocument.Parse(text);
                problem = state.Accept(document.RootElement);
            }
            catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
            {
                problem = $"not a line of an export ({e.Message})";
            }

            if (problem is not null)
            {
                result.Problem = problem;
                result.Line = number;
                return result;
            }
        }

        result.Problem = state.Finish();
        return result;
    }

    private sealed class State(AuditPublicKey publicKey, Dictionary<long, AuditCheckpoint> kept, AuditExportVerificationResult result) : IDisposable
    {
        private readonly AuditCheckpointChain _checkpoints = new(publicKey, linkedFromStart: false);
        private readonly AuditHasher _hasher = new(null);
        private byte[]? _hash;
        private long _position = -1;

        public string? Accept(JsonElement line)
        {
            if (line.ValueKind != JsonValueKind.Object)
            {
                return "not a JSON object";
            }

            if (_hash is null)
            {
                return line.TryGetProperty("chain_start", out var start) ? Start(start) : "an export starts with its chain_start line";
            }

            if (line.TryGetProperty("checkpoint", out var checkpoint))
            {
                return Checkpoint(AuditCheckpointJson.Parse(checkpoint));
            }

            if (line.TryGetProperty("chain_start", out _))
            {
                return "a second chain_start line";
            }

            var record = AuditExportRecord.Parse(line, out var match);
            var problem = Record(record);
            if (problem is null && match)
            {
                result.RecordsMatched++;
            }

            return problem;
        }

        public void Dispose() => _hasher.Dispose();

        public string? Finish()
        {
            if (_hash is null)
            {
                return "the export holds no chain_start line: not an export of ttpctl audit export --format jsonl, or empty";
            }

            var covered = _checkpoints.Last?.Sequence ?? -1;
            if (_position > covered)
            {
                var first = Math.Max(covered + 1, result.FirstSequence);
                return first == _position
                    ? $"record {_position} is not covered by a checkpoint: it was appended after the export was made, or the checkpoint after it was cut off"
                    : $"records {first} to {_position} are not covered by a checkpoint: they were appended after the export was made, or the checkpoint after them was cut off";
            }

            return null;
        }

        private string? Start(JsonElement start)
        {
            if (!start.TryGetProperty("sequence", out var sequence) || !sequence.TryGetInt64(out var position) || position < 0
                || !start.TryGetProperty("hmac_through", out var hmac) || !hmac.TryGetInt64(out var hmacThrough) || hmacThrough < 0
                || !start.TryGetProperty("hash", out var hash) || hash.GetString() is not { Length: AuditHash.Size * 2 } hex)
            {
                return "chain_start: expected sequence, hash (64 hex digits) and hmac_through";
            }

            _hash = Convert.FromHexString(hex);
            _position = position;
            result.FirstSequence = position + 1;
            result.HmacThrough = hmacThrough;
            return MatchKept();
        }

        private string? Record(AuditEvent record)
        {
            if (record.Sequence != _position + 1)
            {
                return record.Sequence <= _position
                    ? $"record {record.Sequence} appears again or out of order after record {_position}"
                    : record.Sequence == _position + 2
                        ? $"record {_position + 1} is missing: removed from the export"
                        : $"records {_position + 1} to {record.Sequence - 1} are missing: removed from the export";
            }

            if (record.Sequence <= result.HmacThrough)
            {
                result.RecordsBeforeAnchoring++;
            }
            else
            {
                byte[] computed;
                try
                {
                    computed = _hasher.Compute(_hash, record);
                }
                catch (ArgumentException)
                {
                    computed = [];
                }

                if (!CryptographicOperations.FixedTimeEquals(computed, record.Hash))
                {
                    return $"record {record.Sequence} does not match its hash: it (or its hash) was altered";
                }

                result.RecordsVerified++;
            }

            _hash = record.Hash;
            _position = record.Sequence;
            result.LastSequence = _position;
            return MatchKept();
        }

        private string? Checkpoint(AuditCheckpoint checkpoint)
        {
            if (_checkpoints.Accept(checkpoint) is { } problem)
            {
                return problem;
            }

            if (checkpoint.HmacThrough != result.HmacThrough)
            {
                return string.Create(CultureInfo.InvariantCulture,
                    $"the {checkpoint} names HMAC-chained records up to {checkpoint.HmacThrough}, the chain_start line up to {result.HmacThrough}");
            }

            if (checkpoint.Sequence != _position)
            {
                return $"the {checkpoint} follows record {_position}, not the record it covers: records were removed, inserted or moved";
            }

            if (!CryptographicOperations.FixedTimeEquals(checkpoint.ChainHash, _hash))
            {
                return $"record {_position} does not match the {checkpoint}: records up to it were altered, removed or inserted";
            }

            result.Checkpoints = _checkpoints.Count;
            result.LatestCheckpoint = checkpoint.Sequence;
            result.LatestCheckpointTime = checkpoint.Time;
            return null;
        }

        private string? MatchKept()
        {
            if (!kept.TryGetValue(_position, out var checkpoint))
            {
                return null;
            }

            if (!CryptographicOperations.FixedTimeEquals(checkpoint.ChainHash, _hash))
            {
                return $"record {_position} does not match the kept {checkpoint}: the trail was rewritten since that checkpoint";
            }

            result.KeptCheckpointsMatched++;
            return null;
        }
    }
}
