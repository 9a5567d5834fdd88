using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ttp.Domain.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AuditSearchIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Partial expression indexes over the Details JSON of key-request rows (AuditSearchIndexSql; the queries of
            // KeyRequestSearch repeat these expressions). Literal here so that the migration never changes. The fields are
            // read with an immutable regular expression over the compact JSON the product writes, not with a json cast:
            // a cast fails on text that is not JSON (the insert would fail) and guarding it costs a subtransaction per row.
            migrationBuilder.Sql("CREATE INDEX ix_audit_kr_request_id ON audit_events (substring(details from '\"requestId\":\"([^\"]*)\"'), sequence) WHERE action = 'key-request';");
            migrationBuilder.Sql("CREATE INDEX ix_audit_kr_tsm_time ON audit_events (substring(details from '\"tsm\":\"([^\"]*)\"'), occurred_at) WHERE action = 'key-request';");
            migrationBuilder.Sql("CREATE INDEX ix_audit_kr_iin ON audit_events (substring(details from '\"iin\":\"([^\"]*)\"'), sequence) WHERE action = 'key-request';");
            migrationBuilder.Sql("CREATE INDEX ix_audit_kr_kdd ON audit_events (substring(details from '\"kdd\":\"([^\"]*)\"'), sequence) WHERE action = 'key-request';");
            migrationBuilder.Sql("CREATE INDEX ix_audit_kr_kvn ON audit_events (substring(details from '\"kvn\":(-?[0-9]+)'), sequence) WHERE action = 'key-request';");
            migrationBuilder.Sql("CREATE INDEX ix_audit_kr_kek_index ON audit_events (substring(details from '\"kekIndex\":(-?[0-9]+)'), sequence) WHERE action = 'key-request';");
            migrationBuilder.Sql("CREATE INDEX ix_audit_kr_outcome_time ON audit_events (outcome, occurred_at) WHERE action = 'key-request';");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_audit_kr_request_id;");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_audit_kr_tsm_time;");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_audit_kr_iin;");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_audit_kr_kdd;");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_audit_kr_kvn;");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_audit_kr_kek_index;");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_audit_kr_outcome_time;");
        }
    }
}
