namespace Ttp.Portal.Audit;

/// <summary>
/// Page numbers over a keyset-paged search without counting the table: the cursor of every page reached so far (page 1
/// has none), so that "previous" goes back exactly and "next" is offered only when the search said more rows exist.
/// </summary>
public sealed class KeysetPager
{
    private readonly List<long?> _cursors = [null];

    /// <summary>The current page, from 0.</summary>
    public int Page { get; private set; }

    /// <summary>Whether the current page's search returned a cursor for a next page.</summary>
    public bool HasNext { get; private set; }

    /// <summary>The cursor to search the current page with (null: the first page).</summary>
    public long? Cursor => _cursors[Page];

    /// <summary>Back to page 1 (the filter or the order changed).</summary>
    public void Reset()
    {
        _cursors.Clear();
        _cursors.Add(null);
        Page = 0;
        HasNext = false;
    }

    /// <summary>Records the next-page cursor the current page's search returned (null: it is the last page).</summary>
    public void Loaded(long? next)
    {
        HasNext = next is not null;
        _cursors.RemoveRange(Page + 1, _cursors.Count - Page - 1);
        if (next is not null)
        {
            _cursors.Add(next);
        }
    }

    /// <summary>Moves to the next page, when there is one.</summary>
    public bool Next()
    {
        if (!HasNext)
        {
            return false;
        }

        Page++;
        return true;
    }

    /// <summary>Moves to the previous page, when there is one.</summary>
    public bool Previous()
    {
        if (Page == 0)
        {
            return false;
        }

        Page--;
        return true;
    }
}
