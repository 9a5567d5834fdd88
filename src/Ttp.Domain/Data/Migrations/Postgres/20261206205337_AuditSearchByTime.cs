using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ttp.Domain.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AuditSearchByTime : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Pages of KeyRequestSearch are in time order, the sequence breaking ties: each index continues with the time and
            // the sequence, so that a page is read in index order and its LIMIT stops early (ordering by sequence alone made
            // PostgreSQL sort every match of a TSM's day). Literal: never changes.
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_audit_kr_request_id;");
            migrationBuilder.Sql("CREATE INDEX ix_audit_kr_request_id ON audit_events (substring(details from '\"requestId\":\"([^\"]*)\"'), occurred_at, sequence) WHERE action = 'key-request';");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_audit_kr_tsm_time;");
            migrationBuilder.Sql("CREATE INDEX ix_audit_kr_tsm_time ON audit_events (substring(details from '\"tsm\":\"([^\"]*)\"'), occurred_at, sequence) WHERE action = 'key-request';");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_audit_kr_iin;");
            migrationBuilder.Sql("CREATE INDEX ix_audit_kr_iin ON audit_events (substring(details from '\"iin\":\"([^\"]*)\"'), occurred_at, sequence) WHERE action = 'key-request';");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_audit_kr_kdd;");
            migrationBuilder.Sql("CREATE INDEX ix_audit_kr_kdd ON audit_events (substring(details from '\"kdd\":\"([^\"]*)\"'), occurred_at, sequence) WHERE action = 'key-request';");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_audit_kr_kvn;");
            migrationBuilder.Sql("CREATE INDEX ix_audit_kr_kvn ON audit_events (substring(details from '\"kvn\":(-?[0-9]+)'), occurred_at, sequence) WHERE action = 'key-request';");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_audit_kr_kek_index;");
            migrationBuilder.Sql("CREATE INDEX ix_audit_kr_kek_index ON audit_events (substring(details from '\"kekIndex\":(-?[0-9]+)'), occurred_at, sequence) WHERE action = 'key-request';");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_audit_kr_outcome_time;");
            migrationBuilder.Sql("CREATE INDEX ix_audit_kr_outcome_time ON audit_events (outcome, occurred_at, sequence) WHERE action = 'key-request';");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_audit_kr_request_id;");
            migrationBuilder.Sql("CREATE INDEX ix_audit_kr_request_id ON audit_events (substring(details from '\"requestId\":\"([^\"]*)\"'), sequence) WHERE action = 'key-request';");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_audit_kr_tsm_time;");
            migrationBuilder.Sql("CREATE INDEX ix_audit_kr_tsm_time ON audit_events (substring(details from '\"tsm\":\"([^\"]*)\"'), occurred_at) WHERE action = 'key-request';");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_audit_kr_iin;");
            migrationBuilder.Sql("CREATE INDEX ix_audit_kr_iin ON audit_events (substring(details from '\"iin\":\"([^\"]*)\"'), sequence) WHERE action = 'key-request';");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_audit_kr_kdd;");
            migrationBuilder.Sql("CREATE INDEX ix_audit_kr_kdd ON audit_events (substring(details from '\"kdd\":\"([^\"]*)\"'), sequence) WHERE action = 'key-request';");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_audit_kr_kvn;");
            migrationBuilder.Sql("CREATE INDEX ix_audit_kr_kvn ON audit_events (substring(details from '\"kvn\":(-?[0-9]+)'), sequence) WHERE action = 'key-request';");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_audit_kr_kek_index;");
            migrationBuilder.Sql("CREATE INDEX ix_audit_kr_kek_index ON audit_events (substring(details from '\"kekIndex\":(-?[0-9]+)'), sequence) WHERE action = 'key-request';");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_audit_kr_outcome_time;");
            migrationBuilder.Sql("CREATE INDEX ix_audit_kr_outcome_time ON audit_events (outcome, occurred_at) WHERE action = 'key-request';");
        }
    }
}
