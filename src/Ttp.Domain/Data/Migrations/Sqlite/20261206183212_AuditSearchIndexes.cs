using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ttp.Domain.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AuditSearchIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Partial expression indexes over the Details JSON of key-request rows (AuditSearchIndexSql; the queries of
            // KeyRequestSearch repeat these expressions). Literal here so that the migration never changes.
            migrationBuilder.Sql("CREATE INDEX ix_audit_kr_request_id ON audit_events ((CASE WHEN json_valid(details) THEN json_extract(details, '$.requestId') END), sequence) WHERE action = 'key-request';");
            migrationBuilder.Sql("CREATE INDEX ix_audit_kr_tsm_time ON audit_events ((CASE WHEN json_valid(details) THEN json_extract(details, '$.tsm') END), occurred_at) WHERE action = 'key-request';");
            migrationBuilder.Sql("CREATE INDEX ix_audit_kr_iin ON audit_events ((CASE WHEN json_valid(details) THEN json_extract(details, '$.iin') END), sequence) WHERE action = 'key-request';");
            migrationBuilder.Sql("CREATE INDEX ix_audit_kr_kdd ON audit_events ((CASE WHEN json_valid(details) THEN json_extract(details, '$.kdd') END), sequence) WHERE action = 'key-request';");
            migrationBuilder.Sql("CREATE INDEX ix_audit_kr_kvn ON audit_events ((CASE WHEN json_valid(details) THEN json_extract(details, '$.kvn') END), sequence) WHERE action = 'key-request';");
            migrationBuilder.Sql("CREATE INDEX ix_audit_kr_kek_index ON audit_events ((CASE WHEN json_valid(details) THEN json_extract(details, '$.kekIndex') END), sequence) WHERE action = 'key-request';");
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
