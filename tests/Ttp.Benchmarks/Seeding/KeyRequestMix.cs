using Ttp.Domain;
using Ttp.Domain.Audit;
using Ttp.Domain.KeyRequests;

namespace Ttp.Benchmarks.Seeding;

/// <summary>
/// A realistic, reproducible mix of key-request audit records (the shape of <c>KeyRequestTrace.Details</c>): 8 TSMs
/// (each card managed by one of them), 12 issuers (IINs), KDDs from a pool of 250,000 cards of which 2,000 "hot" cards take 30% of the requests, KVNs and KEK
/// indexes varied, 2% refusals spread over the <see cref="KeyDistributionFaultCode"/>s, times spread evenly (with
/// jitter, in order) over [from, to), plausible latency. Check values are random hex: never a key.
/// </summary>
public sealed class KeyRequestMix
{
    private const int CardPool = 250_000;
    private const int HotCards = 2_000;

    private static readonly string[] TsmNames = ["tsm-orange", "tsm-vodafone", "tsm-telefonica", "tsm-gemalto", "tsm-idemia", "tsm-giesecke", "tsm-thales", "tsm-lab"];
    private static readonly int[] Kvns = [1, 1, 1, 2, 2, 3, 0x20, 0x30];
    private static readonly KeyDistributionFaultCode[] Faults = Enum.GetValues<KeyDistributionFaultCode>();

    private readonly Random _random;
    private readonly DateTimeOffset _from;
    private readonly double _stepMicroseconds;
    private readonly string[] _iins;
    private readonly string[] _thumbprints;
    private readonly string[] _kekCheckValues;

    public KeyRequestMix(int seed, DateTimeOffset from, DateTimeOffset to, long records)
    {
        if (to <= from || records <= 0)
        {
            throw new ArgumentException("The time range must be non-empty and the record count positive.");
        }

        _random = new Random(seed);
        _from = from;
        _stepMicroseconds = (to - from).TotalMicroseconds / records;
        _iins = Enumerable.Range(0, 12).Select(i => (0xA0000000u + (uint)(i * 0x1111)).ToString("X8", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        _thumbprints = TsmNames.Select(_ => Hex(32)).ToArray();
        _kekCheckValues = Enumerable.Range(0, TsmNames.Length * 3).Select(_ => Hex(3)).ToArray();
    }

    /// <summary>Record <paramref name="index"/> (0-based) of the run: its time lies in its own slot of the range.</summary>
    public AuditRecord Next(long index)
    {
        var card = _random.NextDouble() < 0.3 ? _random.Next(HotCards) : _random.Next(CardPool);

        // A card is managed by one TSM; one request in 100,000 comes from another one (a card moved between TSMs, or
        // the case the workspace's alert exists for).
        var tsm = _random.Next(100_000) == 0 ? _random.Next(TsmNames.Length) : card % TsmNames.Length;
        var iin = _iins[card % _iins.Length];
        var kvn = Kvns[_random.Next(Kvns.Length)];
        var kekIndex = 1 + _random.Next(3);
        var fault = _random.NextDouble() < 0.02 ? Faults[_random.Next(Faults.Length)] : (KeyDistributionFaultCode?)null;
        var outcome = fault?.ToString() ?? AuditRecord.OutcomeOk;
        var scp03 = kvn >= 0x30;
        var latency = fault is null ? 900 + _random.Next(2_500) + (_random.Next(100) == 0 ? _random.Next(40_000) : 0) : 150 + _random.Next(600);
        var offset = (index + _random.NextDouble()) * _stepMicroseconds;
        var details = new
        {
            RequestId = new Guid(_random.GetItems<byte>(GuidBytes, 16)),
            Tsm = TsmNames[tsm],
            CertificateThumbprint = _thumbprints[tsm],
            RemoteAddress = $"10.{tsm}.{card % 250}.{1 + (card % 7)}:{40_000 + _random.Next(20_000)}",
            SecurityDomainManagerUrl = (string?)null,
            Iin = iin,
            Kdd = (0x1000_0000_0000_0000UL + ((ulong)card * 0x9E37_79B9UL)).ToString("X20", System.Globalization.CultureInfo.InvariantCulture),
            Cin = ((ulong)card * 2654435761UL % 0xFF_FFFF_FFFF).ToString("X10", System.Globalization.CultureInfo.InvariantCulture),
            SequenceCounter = scp03 ? null : _random.Next(0x10000).ToString("X6", System.Globalization.CultureInfo.InvariantCulture),
            Kvn = kvn,
            KekIndex = kekIndex,
            Outcome = outcome,
            Message = fault is null ? null : $"refused: {fault}",
            Scheme = fault is null ? (scp03 ? "SCP03" : "SCP02") : null,
            Method = fault is null ? (scp03 ? "Kdf" : "Emv") : null,
            Format = fault is null ? (kekIndex == 3 ? "Tr31" : "Ecb") : null,
            KekCheckValue = fault is null ? _kekCheckValues[(tsm * 3) + kekIndex - 1] : null,
            CheckValues = fault is null ? new { Enc = Hex(3), Mac = Hex(3), Dek = Hex(3) } : null,
            LatencyMicroseconds = latency,
            IntegrityFailure = (string?)null,
        };
        var subject = $"issuer-key:{iin}/{kvn}";
        return AuditRecord.KeyRequest(Actor.Tsm(TsmNames[tsm]), subject, outcome, details).WithOccurredAt(_from.AddMicroseconds(offset));
    }

    private static readonly byte[] GuidBytes = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();

    private string Hex(int bytes)
    {
        Span<byte> buffer = stackalloc byte[bytes];
        _random.NextBytes(buffer);
        return Convert.ToHexString(buffer);
    }
}
