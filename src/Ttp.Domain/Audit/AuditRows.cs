using System.Data.Common;
using System.Globalization;
using System.Text;

namespace Ttp.Domain.Audit;

/// <summary>
/// The rows of one append, hashed and ready, and the plain SQL that inserts them on the caller's connection and
/// transaction (<see cref="AuditLedger"/>): SQLite one prepared single-row statement per row, PostgreSQL one multi-row
/// statement per chunk.
/// </summary>
internal sealed class AuditRows(IReadOnlyList<AuditRecord> records, long previousSequence, DateTimeOffset[] times, byte[][] hashes, byte[][] macs)
{
    // Rows per multi-row INSERT on PostgreSQL: 10 parameters each, far below its limit of 65535 per statement.
    private const int RowsPerStatement = 128;

    private const string InsertPrefix =
        $"INSERT INTO {AuditSchema.EventsTable} ({AuditSchema.Sequence}, {AuditSchema.OccurredAt}, {AuditSchema.Stream}, " +
        $"{AuditSchema.Action}, {AuditSchema.Actor}, {AuditSchema.Subject}, {AuditSchema.Outcome}, {AuditSchema.Details}, " +
        $"{AuditSchema.Hash}, {AuditSchema.Mac}) VALUES ";

    // Parameter name prefixes, in column order: sequence, time, stream, action, actor, subject, outcome, details, hash, mac.
    private static readonly string[] ColumnParameterNames = ["s", "t", "m", "a", "r", "j", "o", "d", "h", "c"];

    private static readonly string FullChunkInsertSql = BuildInsertSql(RowsPerStatement);

    /// <summary>The rows of this append.</summary>
    public int Count => records.Count;

    // SQLite runs in-process, so a round trip costs nothing; one prepared single-row statement re-bound per row is the
    // fastest (SQLite finds a named parameter by a linear search, so binding a statement with n rows costs n^2). The
    // statement is AuditStatements'.
    internal static readonly string SingleRowInsertSql = BuildInsertSql(1);

    /// <summary>Adds the single-row statement's parameters to <paramref name="insert"/>, in column order.</summary>
    internal static DbParameter[] AddRowParameters(DbCommand insert)
    {
        var parameters = new DbParameter[ColumnParameterNames.Length];
        for (var p = 0; p < parameters.Length; p++)
        {
            parameters[p] = insert.CreateParameter();
            parameters[p].ParameterName = "@" + ColumnParameterNames[p] + "0";
            insert.Parameters.Add(parameters[p]);
        }

        return parameters;
    }

    /// <summary>Binds row <paramref name="i"/> to the single-row statement's <paramref name="parameters"/>.</summary>
    internal void Bind(int i, DbParameter[] parameters)
    {
        var record = records[i];
        parameters[0].Value = previousSequence + 1 + i;
        parameters[1].Value = AuditHash.ToUnixMicroseconds(times[i]);
        parameters[2].Value = (int)record.Stream;
        parameters[3].Value = record.Action;
        parameters[4].Value = record.Actor;
        parameters[5].Value = record.Subject;
        parameters[6].Value = record.Outcome;
        parameters[7].Value = record.Details;
        parameters[8].Value = hashes[i];
        parameters[9].Value = macs[i];
    }

    // PostgreSQL is a network round trip away: one multi-row INSERT per chunk of rows.
    public async Task InsertMultiRowAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        for (var start = 0; start < records.Count; start += RowsPerStatement)
        {
            var count = Math.Min(RowsPerStatement, records.Count - start);
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = count == RowsPerStatement ? FullChunkInsertSql : BuildInsertSql(count);
            for (var row = 0; row < count; row++)
            {
                var i = start + row;
                var record = records[i];
                var suffix = row.ToString(CultureInfo.InvariantCulture);
                object[] values =
                [
                    previousSequence + 1 + i, times[i], (int)record.Stream, record.Action, record.Actor, record.Subject,
                    record.Outcome, record.Details, hashes[i], macs[i],
                ];
                for (var column = 0; column < values.Length; column++)
                {
                    AddParameter(insert, "@" + ColumnParameterNames[column] + suffix, values[column]);
                }
            }

            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private static string BuildInsertSql(int rows)
    {
        var sql = new StringBuilder(InsertPrefix, InsertPrefix.Length + (rows * 52));
        for (var row = 0; row < rows; row++)
        {
            if (row > 0)
            {
                sql.Append(',');
            }

            sql.Append('(');
            for (var column = 0; column < ColumnParameterNames.Length; column++)
            {
                sql.Append(column == 0 ? "@" : ",@").Append(ColumnParameterNames[column]).Append(row.ToString(CultureInfo.InvariantCulture));
            }

            sql.Append(')');
        }

        return sql.ToString();
    }
}
