using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Ttp.Domain.Data;

namespace Ttp.Domain.Audit;

/// <summary>
/// Key-request counts per day and TSM, aggregated by the database (GROUP BY over the stream/time index); no row is
/// loaded; key requests only (not the summaries of refusals beyond the rate). Times on SQLite are integer microseconds since the epoch, on PostgreSQL timestamptz.
/// </summary>
internal static class KeyRequestCounts
{
    private const long MicrosecondsPerDay = 86_400_000_000;
    private const string Counts =
        "SUM(CASE WHEN outcome = 'ok' THEN 1 ELSE 0 END), SUM(CASE WHEN outcome = 'ok' THEN 0 ELSE 1 END)";

    /// <summary>Key requests answered and refused per UTC day and TSM (see <see cref="AuditQueries.KeyRequestsPerDayAsync"/>).</summary>
    public static async Task<IReadOnlyList<KeyRequestDay>> PerDayAsync(
        IDbContextFactory<TtpDbContext> factory, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var sqlite = db.Database.IsSqlite();
        var day = sqlite
            ? $"(occurred_at / {MicrosecondsPerDay})"
            : "CAST(floor(extract(epoch FROM occurred_at) / 86400) AS bigint)";
        var tsm = sqlite ? AuditSearchIndexSql.SqliteField("tsm") : AuditSearchIndexSql.PostgresField("tsm");
        var sql = $"SELECT {day} AS d, COALESCE({tsm}, '') AS t, {Counts} FROM audit_events " +
            $"WHERE stream = {(int)AuditStream.KeyRequest} AND {AuditSearchIndexSql.KeyRequestPredicate} AND occurred_at >= @from AND occurred_at < @to GROUP BY d, t ORDER BY d, t";
        var result = new List<KeyRequestDay>();
        await using var command = await OpenAsync(db, sql, cancellationToken);
        AuditRows.AddParameter(command, "@from", KeyRequestSearch.Time(from, sqlite));
        AuditRows.AddParameter(command, "@to", KeyRequestSearch.Time(to, sqlite));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var days = Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture);
            result.Add(new KeyRequestDay(DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + days),
                reader.GetString(1), Int(reader, 2), Int(reader, 3)));
        }

        return result;
    }

    private static int Int(DbDataReader reader, int i) => Convert.ToInt32(reader.GetValue(i), CultureInfo.InvariantCulture);

    private static async Task<DbCommand> OpenAsync(TtpDbContext db, string sql, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        return command;
    }
}
