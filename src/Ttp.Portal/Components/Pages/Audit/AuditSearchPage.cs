using System.Data.Common;
using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.AspNetCore.WebUtilities;
using MudBlazor;
using Ttp.Domain;
using Ttp.Domain.Audit;

namespace Ttp.Portal.Components.Pages.Audit;

/// <summary>
/// What the two audit searches share: the filter bound to the URL query (a bookmarkable view; <c>order=oldest</c> for
/// oldest first, <c>record=SEQ</c> for a record's detail), malformed values shown on their fields, keyset pages numbered by
/// a <see cref="Ttp.Portal.Audit.KeysetPager"/> (no count of the table), and the record drawer.
/// </summary>
/// <typeparam name="TRow">A result row.</typeparam>
/// <typeparam name="TFilter">The filter.</typeparam>
public abstract class AuditSearchPage<TRow, TFilter> : ComponentBase, IDisposable
    where TFilter : class
{
    /// <summary>Rows per page.</summary>
    public const int PageSize = 50;

    private string? _searchKey;
    private long? _missingSequence;
    private bool _disposed;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private AuditRecordLookup Lookup { get; set; } = default!;

    /// <summary>The grid (set by the page's markup).</summary>
    protected MudDataGrid<TRow>? Grid { get; set; }

    protected Ttp.Portal.Audit.KeysetPager Pager { get; } = new();

    /// <summary>The raw values of the filter form, by query name.</summary>
    protected Dictionary<string, string?> Values { get; private set; } = new(StringComparer.Ordinal);

    /// <summary>The messages of malformed values, by query name.</summary>
    protected IReadOnlyDictionary<string, string> Errors { get; private set; } = new Dictionary<string, string>();

    /// <summary>The valid filter searched (null while a value is malformed).</summary>
    protected TFilter? Filter { get; private set; }

    protected AuditOrder Order { get; set; }

    protected AuditRecordDetail? Detail { get; private set; }

    protected string? DetailMissing { get; private set; }

    /// <summary>A search failure, shown above the grid.</summary>
    protected string? Error { get; private set; }

    /// <summary>The page's path, e.g. <c>audit/key-requests</c>.</summary>
    protected abstract string Path { get; }

    /// <summary>The export endpoint's path, e.g. <c>audit/export/key-requests</c>.</summary>
    protected abstract string ExportPath { get; }

    /// <summary>The query names of the filter.</summary>
    protected abstract IReadOnlyList<string> Names { get; }

    protected abstract AuditStream Stream { get; }

    protected abstract bool TryParse(IReadOnlyDictionary<string, string?> values, out TFilter? filter, out IReadOnlyDictionary<string, string> errors);

    protected abstract string Format(TFilter filter);

    protected abstract Task<(IReadOnlyList<TRow> Rows, long? Next)> SearchAsync(TFilter filter, AuditOrder order, int pageSize, long? cursor, CancellationToken cancellationToken);

    /// <summary>The href of an export of the current filter (null while a value is malformed).</summary>
    protected string? ExportHref(string format)
    {
        if (Filter is null)
        {
            return null;
        }

        var query = Format(Filter);
        return ExportPath + "?format=" + format + (query.Length == 0 ? string.Empty : "&" + query);
    }

    /// <summary>Whether the valid filter searched narrows anything (an empty result then means "no match", not "none yet").</summary>
    protected bool IsFiltered => Filter is not null && Format(Filter).Length > 0;

    /// <summary>"Page N".</summary>
    protected string PageText => "Page " + (Pager.Page + 1).ToString(CultureInfo.InvariantCulture);

    protected override async Task OnInitializedAsync()
    {
        Navigation.LocationChanged += OnLocationChanged;
        await ReadUrlAsync(initial: true);
    }

    /// <summary>The grid's server data: one keyset page of the current filter.</summary>
    protected async Task<GridData<TRow>> LoadAsync(GridState<TRow> state, CancellationToken cancellationToken)
    {
        if (Filter is null)
        {
            Pager.Loaded(null);
            return new GridData<TRow> { Items = [], TotalItems = 0 };
        }

        try
        {
            var (rows, next) = await SearchAsync(Filter, Order, PageSize, Pager.Cursor, cancellationToken);
            Pager.Loaded(next);
            Error = null;
            return new GridData<TRow> { Items = rows, TotalItems = rows.Count };
        }
        catch (Exception e) when (e is ArgumentException or DomainException)
        {
            Error = e.Message;
        }
        catch (DbException)
        {
            Error = "The search could not be run: the database did not answer. Try again.";
        }

        Pager.Loaded(null);
        return new GridData<TRow> { Items = [], TotalItems = 0 };
    }

    /// <summary>Checks the form; when valid, puts it in the URL (which runs the search).</summary>
    protected void Apply()
    {
        if (!TryParse(Values, out var filter, out var errors))
        {
            Errors = errors;
            return;
        }

        Navigation.NavigateTo(Url(filter!, Order, record: null));
    }

    /// <summary>Empties the form and the URL's filter.</summary>
    protected void Clear()
    {
        Navigation.NavigateTo(Path + (Order == AuditOrder.OldestFirst ? "?order=oldest" : string.Empty));
    }

    protected void OrderChanged(AuditOrder order)
    {
        Order = order;
        if (Filter is not null)
        {
            Navigation.NavigateTo(Url(Filter, order, record: null));
        }
    }

    protected async Task NextPageAsync()
    {
        if (Pager.Next() && Grid is not null)
        {
            await Grid.ReloadServerData();
        }
    }

    protected async Task PreviousPageAsync()
    {
        if (Pager.Previous() && Grid is not null)
        {
            await Grid.ReloadServerData();
        }
    }

    /// <summary>Opens a record's detail (in the URL: <c>record=SEQ</c>).</summary>
    protected void OpenRecord(long sequence) =>
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("record", sequence));

    protected void CloseRecord() =>
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("record", (long?)null));

    private string Url(TFilter filter, AuditOrder order, long? record)
    {
        var query = Format(filter);
        if (order == AuditOrder.OldestFirst)
        {
            query += (query.Length == 0 ? string.Empty : "&") + "order=oldest";
        }

        if (record is { } sequence)
        {
            query += (query.Length == 0 ? string.Empty : "&") + "record=" + sequence.ToString(CultureInfo.InvariantCulture);
        }

        return Path + (query.Length == 0 ? string.Empty : "?" + query);
    }

    private async Task ReadUrlAsync(bool initial)
    {
        var query = QueryHelpers.ParseQuery(new Uri(Navigation.Uri).Query);
        string? Raw(string name) => query.TryGetValue(name, out var value) && value.Count > 0 ? value[0] : null;
        var values = Names.ToDictionary(n => n, Raw, StringComparer.Ordinal);
        var order = string.Equals(Raw("order"), "oldest", StringComparison.OrdinalIgnoreCase) ? AuditOrder.OldestFirst : AuditOrder.NewestFirst;
        var record = long.TryParse(Raw("record"), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) && sequence > 0 ? sequence : (long?)null;
        var searchKey = string.Join("\n", values.Select(v => v.Key + "=" + v.Value)) + "\norder=" + order;
        if (initial || !string.Equals(searchKey, _searchKey, StringComparison.Ordinal))
        {
            _searchKey = searchKey;
            Filter = TryParse(values, out var filter, out var errors) ? filter : null;
            Values = values;
            Errors = errors;
            Order = order;
            Pager.Reset();
            if (!initial && Grid is not null)
            {
                await Grid.ReloadServerData();
            }
        }

        if (initial || record != (Detail?.Sequence ?? _missingSequence))
        {
            await LoadRecordAsync(record, Raw("record"));
        }
    }

    private async Task LoadRecordAsync(long? sequence, string? raw)
    {
        Detail = null;
        DetailMissing = null;
        _missingSequence = null;
        if (sequence is null)
        {
            if (!string.IsNullOrEmpty(raw))
            {
                DetailMissing = "record: expected a record number (1 or more).";
            }

            return;
        }

        try
        {
            Detail = await Lookup.GetAsync(sequence.Value, Stream);
        }
        catch (DbException)
        {
            Error = "The record could not be read: the database did not answer. Try again.";
        }

        if (Detail is null)
        {
            _missingSequence = sequence;
            DetailMissing ??= string.Create(CultureInfo.InvariantCulture, $"No {(Stream == AuditStream.KeyRequest ? "key-request" : "staff-action")} record {sequence}.");
        }
    }

    // Another query of this page (a link, the back button, the form): read it. Leaving the page: nothing to do.
    private void OnLocationChanged(object? sender, LocationChangedEventArgs e)
    {
        var path = Navigation.ToBaseRelativePath(e.Location).Split('?', '#')[0];
        if (_disposed || !string.Equals(path, Path, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        _ = InvokeAsync(async () =>
        {
            if (!_disposed)
            {
                await ReadUrlAsync(initial: false);
                StateHasChanged();
            }
        });
    }

    public void Dispose()
    {
        _disposed = true;
        Navigation.LocationChanged -= OnLocationChanged;
        GC.SuppressFinalize(this);
    }
}
