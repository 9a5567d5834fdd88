using System.Globalization;

namespace Ttp.LoadGenerator;

/// <summary>The figures, one line per target, then the ratio and the phases.</summary>
internal static class Report
{
    public static void Print(LoadOptions options, LoadResult result, TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"{options.Connections} connections, warm-up {options.WarmupSeconds} s, {options.Phases} x {options.PhaseSeconds} s per target, {options.BaseUrl}"));
        output.WriteLine(string.Create(c, $"{"target",-9} {"requests",9} {"req/s",9} {"p50 ms",8} {"p99 ms",8} {"max ms",8} {"errors",7}"));
        var rates = new double[2];
        foreach (var target in (Target[])[Target.Soap, Target.Baseline])
        {
            var i = (int)target;
            var h = result.Histograms[i];
            rates[i] = h.Count / result.Seconds[i];
            var name = target == Target.Soap ? "soap" : "baseline";
            output.WriteLine(string.Create(c, $"{name,-9} {h.Count,9} {rates[i],9:F0} {h.QuantileMs(0.50),8:F2} {h.QuantileMs(0.99),8:F2} {h.MaxMicros / 1000.0,8:F2} {result.ErrorsPerTarget[i],7}"));
        }

        output.WriteLine(string.Create(c, $"ratio soap/baseline requests/s: {rates[0] / rates[1]:F2}"));
        output.WriteLine(string.Create(c, $"phases (req/s): {string.Join("  ", result.PhaseCounts.Select((n, p) => string.Create(c, $"{(p % 2 == 0 ? "soap" : "baseline")} {n / result.PhaseSeconds[p]:F0}")))}"));
        foreach (var (kind, count) in result.ErrorKinds.OrderByDescending(e => e.Value))
        {
            output.WriteLine(string.Create(c, $"error x{count}: {kind}"));
        }
    }
}
