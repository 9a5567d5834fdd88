using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ttp.Domain.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AuditSearchByTime : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Pages of KeyRequestSearch are in time order: each field's index continues with the time (and the rowid, which
            // is the sequence), so that a page is read in index order and its LIMIT stops early. Literal: never changes.
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_audit_kr_request_id;");
            migrationBuilder.Sql("CREATE INDEX ix_audit_kr_request_id ON audit_events ((CASE WHEN json_valid(details) THEN json_extract(details, '$.requestId') END), occurred_at) WHERE action = 'key-request';");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_audit_kr_iin;");
            migrationBuilder.Sql("CREATE INDEX ix_audit_kr_iin ON audit_events ((CASE WHEN json_valid(details) THEN json_extract(details, '$.iin') END), occurred_at) WHERE action = 'key-request';");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_audit_kr_kdd;");
            migrationBuilder.Sql("CREATE INDEX ix_audit_kr_kdd ON audit_events ((CASE WHEN json_valid(details) THEN json_extract(details, '$.kdd') END), occurred_at) WHERE action = 'key-request';");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_audit_kr_kvn;");
            migrationBuilder.Sql("CREATE INDEX ix_audit_kr_kvn ON audit_events ((CASE WHEN json_valid(details) THEN json_extract(details, '$.kvn') END), occurred_at) WHERE action = 'key-request';");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_audit_kr_kek_index;");
            migrationBuilder.Sql("CREATE INDEX ix_audit_kr_kek_index ON audit_events ((CASE WHEN json_valid(details) THEN json_extract(details, '$.kekIndex') END), occurred_at) WHERE action = 'key-request';");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_audit_kr_request_id;");
            migrationBuilder.Sql("CREATE INDEX ix_audit_kr_request_id ON audit_events ((CASE WHEN json_valid(details) THEN json_extract(details, '$.requestId') END), sequence) WHERE action = 'key-request';");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_audit_kr_iin;");
            migrationBuilder.Sql("CREATE INDEX ix_audit_kr_iin ON audit_events ((CASE WHEN json_valid(details) THEN json_extract(details, '$.iin') END), sequence) WHERE action = 'key-request';");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_audit_kr_kdd;");
            migrationBuilder.Sql("CREATE INDEX ix_audit_kr_kdd ON audit_events ((CASE WHEN json_valid(details) THEN json_extract(details, '$.kdd') END), sequence) WHERE action = 'key-request';");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_audit_kr_kvn;");
            migrationBuilder.Sql("CREATE INDEX ix_audit_kr_kvn ON audit_events ((CASE WHEN json_valid(details) THEN json_extract(details, '$.kvn') END), sequence) WHERE action = 'key-request';");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_audit_kr_kek_index;");
            migrationBuilder.Sql("CREATE INDEX ix_audit_kr_kek_index ON audit_events ((CASE WHEN json_valid(details) THEN json_extract(details, '$.kekIndex') END), sequence) WHERE action = 'key-request';");
        }
    }
}
