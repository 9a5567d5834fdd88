using System.Globalization;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using Ttp.Domain;
using Ttp.Domain.Audit;

namespace Ttp.Portal.Components.Pages.Audit;

/// <summary>
/// The auditor's activity charts: key requests per TSM (the busiest <see cref="TopTsms"/> and "others"), the fault
/// rate per code and the latency percentiles, per hour or per day over a range bound to the URL (<see cref="ActivityRange"/>),
/// each with a table of the numbers. Counted by <see cref="KeyRequestStatistics"/> (a view; the chain is the record).
/// Read-only: Auditors and Security officers.
/// </summary>
public sealed partial class ActivityPage
{
    /// <summary>TSMs shown as their own series; the rest are summed as "others".</summary>
    internal const int TopTsms = 5;

    /// <summary>The name of the series that sums the other TSMs.</summary>
    internal const string Others = "others";

    /// <summary>The name shown for requests whose caller was never identified.</summary>
    internal const string Unidentified = "(unidentified)";

    private static readonly (string Name, string Text)[] RangeChoices =
    [
        (ActivityRange.Last24Hours, "Last 24 h"), (ActivityRange.Last7Days, "7 days"), (ActivityRange.Last30Days, "30 days"), (ActivityRange.Custom, "Custom"),
    ];

    private ActivityRange? _range;
    private KeyRequestActivity? _activity;
    private string? _error;
    private string? _customFrom;
    private string? _customTo;
    private List<SeriesData> _requestSeries = [];
    private List<SeriesData> _faultSeries = [];
    private List<SeriesData> _latencySeries = [];
    private List<ChartSeries<double>> _requestChart = [];
    private List<ChartSeries<double>> _faultChart = [];
    private List<ChartSeries<double>> _latencyChart = [];
    private string[] _labels = [];

    [SupplyParameterFromQuery(Name = "range")]
    public string? RangeQuery { get; set; }

    [SupplyParameterFromQuery(Name = "from")]
    public string? FromQuery { get; set; }

    [SupplyParameterFromQuery(Name = "to")]
    public string? ToQuery { get; set; }

    [Inject]
    private KeyRequestStatistics Statistics { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    private string CurrentRange => string.IsNullOrWhiteSpace(RangeQuery) ? ActivityRange.Last24Hours : RangeQuery.Trim();

    private bool Hourly => _activity?.Granularity == ActivityGranularity.Hour;

    private string PeriodName => Hourly ? "hour" : "day";

    private string PeriodHeader => Hourly ? "Hour (UTC)" : "Day (UTC)";

    private string RangeText => _activity is null
        ? string.Empty
        : $"From {Shared.TimeDisplay.Format(_activity.From)} to {Shared.TimeDisplay.Format(_activity.To)}, per {PeriodName}: " +
          $"{Number(_activity.Periods.Sum(p => p.Total))} requests, {Number(_activity.Periods.Sum(p => p.Refused))} refused.";

    protected override async Task OnParametersSetAsync()
    {
        _customFrom = FromQuery;
        _customTo = ToQuery;
        _activity = null;
        _error = null;
        var (range, error) = ActivityRange.Parse(RangeQuery, FromQuery, ToQuery, Time.GetUtcNow());
        if (range is null)
        {
            _error = error;
            return;
        }

        if (range.Name == ActivityRange.Custom && string.IsNullOrWhiteSpace(FromQuery))
        {
            return;
        }

        _range = range;
        try
        {
            _activity = await Statistics.GetAsync(range.From, range.To, range.Granularity);
            BuildSeries(_activity);
        }
        catch (Exception e) when (e is DomainException or ArgumentException or System.Data.Common.DbException)
        {
            _error = "The activity could not be loaded: " + e.Message;
        }
    }

    private void ChooseRange(string name)
    {
        if (name == ActivityRange.Custom)
        {
            // Start from the range on show, so that the fields are filled in.
            var from = _range is null ? null : ActivityRange.Format(_range.From);
            var to = _range is null ? null : ActivityRange.Format(_range.To);
            Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(new Dictionary<string, object?>
            {
                ["range"] = ActivityRange.Custom, ["from"] = from, ["to"] = to,
            }));
            return;
        }

        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(new Dictionary<string, object?>
        {
            ["range"] = name, ["from"] = null, ["to"] = null,
        }));
    }

    private void ApplyCustom() =>
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(new Dictionary<string, object?>
        {
            ["range"] = ActivityRange.Custom, ["from"] = _customFrom?.Trim(), ["to"] = _customTo?.Trim(),
        }));

    private void BuildSeries(KeyRequestActivity activity)
    {
        var periods = activity.Periods;
        var tsms = activity.Tsms;
        var top = tsms.Take(TopTsms).ToList();
        _requestSeries = [.. top.Select(t => Series(t.Length == 0 ? Unidentified : t, periods.Select(p => (double)p.PerTsm.GetValueOrDefault(t))))];
        if (tsms.Count > TopTsms)
        {
            _requestSeries.Add(Series(Others, periods.Select(p => (double)p.PerTsm.Where(e => !top.Contains(e.Key)).Sum(e => e.Value))));
        }

        _faultSeries = [.. activity.FaultCodes.Select(code => Series(code, periods.Select(p => Math.Round(p.FaultPercent(code), 3))))];
        _latencySeries =
        [
            .. new[] { 50, 95, 99 }.Select(q => Series($"p{q}", periods.Select(p => (p.Latency.PercentileMicroseconds(q) ?? 0) / 1000.0))),
        ];
        _requestChart = Chart(_requestSeries);
        _faultChart = Chart(_faultSeries);
        _latencyChart = Chart(_latencySeries);
        // At most about 12 labels keep the axis readable; the tables carry every period.
        var step = Math.Max(1, (int)Math.Ceiling(periods.Count / 12.0));
        _labels = [.. periods.Select((p, i) => i % step == 0 ? ShortLabel(p) : string.Empty)];
    }

    private static SeriesData Series(string name, IEnumerable<double> values) => new(name, [.. values]);

    private static List<ChartSeries<double>> Chart(List<SeriesData> series) =>
        [.. series.Select(s => new ChartSeries<double> { Name = s.Name, Data = new ChartData<double>(s.Values) })];

    private string ShortLabel(KeyRequestPeriod period) =>
        period.Start.UtcDateTime.ToString(Hourly ? "HH:mm" : "MM-dd", CultureInfo.InvariantCulture);

    private string PeriodLabel(KeyRequestPeriod period) =>
        period.Start.UtcDateTime.ToString(Hourly ? "yyyy-MM-dd HH:mm" : "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Percent(double value) => value.ToString("0.###", CultureInfo.InvariantCulture) + " %";

    private static string Milliseconds(long? microseconds) =>
        microseconds is { } us ? "< " + (us / 1000.0).ToString("0.###", CultureInfo.InvariantCulture) : "-";

    /// <summary>One series of a chart and its table column.</summary>
    private sealed record SeriesData(string Name, double[] Values);
}
