using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;

namespace Ttp.Domain.Alerts;

/// <summary>
/// The scanner's look back at earlier key-request records: who was answered a card, how many requests of a TSM in a time
/// range. The SQL repeats the expressions and the predicate of the partial indexes of <see cref="AuditSearchIndexSql"/>
/// (as <see cref="KeyRequestSearch"/> does) so that both planners use them; every value is a parameter.
/// </summary>
internal sealed class AlertHistory(TtpDbContext db)
{
    private const int CardsPerQuery = 100;
    private readonly bool _sqlite = db.Database.IsSqlite();

    /// <summary>A TSM answered a card: its latest such record.</summary>
    public sealed record CardRequester(string Iin, string Kdd, string Tsm, long LatestSequence, DateTimeOffset LatestAt);

    /// <summary>Every TSM answered (<c>ok</c>) one of <paramref name="kdds"/>, with its latest record, per (IIN, KDD).</summary>
    public async Task<List<CardRequester>> CardRequestersAsync(IReadOnlyCollection<string> kdds, CancellationToken cancellationToken)
    {
        var result = new List<CardRequester>();
        foreach (var chunk in kdds.Chunk(CardsPerQuery))
        {
            await using var command = await CommandAsync(cancellationToken);
            var sql = new StringBuilder()
                .Append("SELECT ").Append(Field("iin")).Append(", ").Append(Field("kdd")).Append(", ").Append(Field("tsm"))
                .Append(", MAX(sequence), MAX(occurred_at) FROM audit_events WHERE ").Append(AuditSearchIndexSql.KeyRequestPredicate)
                .Append(" AND outcome = 'ok' AND ").Append(Field("kdd")).Append(" IN (");
            for (var i = 0; i < chunk.Length; i++)
            {
                sql.Append(i == 0 ? "@k" : ", @k").Append(i.ToString(CultureInfo.InvariantCulture));
                AuditRows.AddParameter(command, "@k" + i.ToString(CultureInfo.InvariantCulture), chunk[i]);
            }

            sql.Append(") GROUP BY ").Append(Field("iin")).Append(", ").Append(Field("kdd")).Append(", ").Append(Field("tsm"));
            command.CommandText = sql.ToString();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (reader.IsDBNull(0) || reader.IsDBNull(1) || reader.IsDBNull(2))
                {
                    continue;
                }

                result.Add(new CardRequester(Text(reader, 0), Text(reader, 1), Text(reader, 2), reader.GetInt64(3), Time(reader, 4)));
            }
        }

        return result;
    }

    /// <summary>
    /// How many key requests of <paramref name="tsm"/> (with <paramref name="outcome"/>, or any) happened at or after
    /// <paramref name="from"/> and before <paramref name="to"/>.
    /// </summary>
    public async Task<long> CountAsync(string tsm, string? outcome, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync(cancellationToken);
        command.CommandText = $"SELECT COUNT(*) FROM audit_events WHERE {AuditSearchIndexSql.KeyRequestPredicate} AND {Field("tsm")} = @tsm " +
            "AND occurred_at >= @from AND occurred_at < @to" + (outcome is null ? string.Empty : " AND outcome = @outcome");
        AuditRows.AddParameter(command, "@tsm", tsm);
        AuditRows.AddParameter(command, "@from", KeyRequestSearch.Time(from, _sqlite));
        AuditRows.AddParameter(command, "@to", KeyRequestSearch.Time(to, _sqlite));
        if (outcome is not null)
        {
            AuditRows.AddParameter(command, "@outcome", outcome);
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private string Field(string name) => _sqlite ? AuditSearchIndexSql.SqliteField(name) : AuditSearchIndexSql.PostgresField(name);

    private async Task<DbCommand> CommandAsync(CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        return db.Database.GetDbConnection().CreateCommand();
    }

    private static string Text(DbDataReader reader, int i) => Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)!;

    private DateTimeOffset Time(DbDataReader reader, int i) => _sqlite
        ? DateTimeOffset.UnixEpoch.AddTicks(Convert.ToInt64(reader.GetValue(i), CultureInfo.InvariantCulture) * 10)
        : reader.GetFieldValue<DateTimeOffset>(i).ToUniversalTime();
}
