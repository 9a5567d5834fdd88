using System.Data.Common;
using System.Text;

namespace Ttp.Domain.Audit;

/// <summary>
/// Which audit records an export of a filter holds (<see cref="AuditExporter.ExportSelectionAsync"/>): a condition in
/// SQL over the <c>audit_events</c> columns, with its values as parameters, for either provider. Built from a validated
/// filter, so that a malformed field fails here, named, before anything is written.
/// </summary>
public abstract class AuditSelection
{
    private protected AuditSelection()
    {
    }

    /// <summary>What the selection is of, for file names and the audit record (e.g. <c>key-requests</c>).</summary>
    public abstract string Name { get; }

    /// <summary>The filter as the audit record of the export describes it (no secret: filters hold none).</summary>
    public abstract object Filter { get; }

    /// <summary>The key-request records matching <paramref name="filter"/>.</summary>
    /// <exception cref="ArgumentException">A filter field is malformed; the message and the parameter name name it.</exception>
    public static AuditSelection KeyRequests(KeyRequestFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return new KeyRequestSelection(filter.Validated());
    }

    /// <summary>The staff-action records matching <paramref name="filter"/>.</summary>
    /// <exception cref="ArgumentException">A filter field is malformed; the message and the parameter name name it.</exception>
    public static AuditSelection StaffActions(StaffActionFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return new StaffActionSelection(filter.Validated());
    }

    /// <summary>
    /// Appends the condition (a boolean SQL expression, usable in <c>WHERE</c> and in <c>CASE WHEN</c>) to
    /// <paramref name="sql"/> and its parameters to <paramref name="command"/>; parameter names must not start with
    /// <c>run_</c> (the exporter's own).
    /// </summary>
    internal abstract void AppendCondition(StringBuilder sql, bool sqlite, DbCommand command);

    private sealed class KeyRequestSelection(KeyRequestFilter valid) : AuditSelection
    {
        public override string Name => "key-requests";

        public override object Filter => valid;

        internal override void AppendCondition(StringBuilder sql, bool sqlite, DbCommand command) =>
            KeyRequestFilterSql.AppendCondition(sql, valid, sqlite, command);
    }

    private sealed class StaffActionSelection(StaffActionFilter valid) : AuditSelection
    {
        public override string Name => "staff-actions";

        public override object Filter => valid;

        internal override void AppendCondition(StringBuilder sql, bool sqlite, DbCommand command) =>
            StaffActionFilterSql.AppendCondition(sql, valid, sqlite, command);
    }
}
