namespace Ttp.Domain.Audit;

/// <summary>The arguments of one keyset page of an audit search (<see cref="KeyRequestSearch"/>, <see cref="StaffActionSearch"/>), checked alike.</summary>
internal static class AuditPaging
{
    /// <summary>Checks a page request; the message and the parameter name name what is wrong.</summary>
    /// <exception cref="ArgumentException">The page size is not 1 to <paramref name="maxPageSize"/>, the cursor is below 1, or the order is unknown.</exception>
    public static void Check(int pageSize, int maxPageSize, long? cursor, string cursorName, AuditOrder order)
    {
        if (pageSize < 1 || pageSize > maxPageSize)
        {
            throw Invalid("pageSize", $"pageSize: expected 1 to {maxPageSize}.");
        }

        if (cursor is < 1)
        {
            throw Invalid(cursorName, $"{cursorName}: expected a sequence of 1 or more.");
        }

        if (!Enum.IsDefined(order))
        {
            throw Invalid("order", "order: expected NewestFirst or OldestFirst.");
        }
    }

    private static ArgumentException Invalid(string parameter, string message) => new(message, parameter);
}
