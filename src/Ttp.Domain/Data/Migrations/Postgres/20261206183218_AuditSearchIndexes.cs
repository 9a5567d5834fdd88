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
            // KeyRequestSearch repeat these expressions). Literal here so that the migration never changes.
            migrationBuilder.Sql("""
                CREATE FUNCTION ttp_audit_field(details text, field text) RETURNS text
                LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
                BEGIN
                    RETURN details::json ->> field;
                EXCEPTION WHEN others THEN
                    RETURN NULL;
                END
                $$;
                """);
            migrationBuilder.Sql("CREATE INDEX ix_audit_kr_request_id ON audit_events (ttp_audit_field(details, 'requestId'), sequence) WHERE action = 'key-request';");
            migrationBuilder.Sql("CREATE INDEX ix_audit_kr_tsm_time ON audit_events (ttp_audit_field(details, 'tsm'), occurred_at) WHERE action = 'key-request';");
            migrationBuilder.Sql("CREATE INDEX ix_audit_kr_iin ON audit_events (ttp_audit_field(details, 'iin'), sequence) WHERE action = 'key-request';");
            migrationBuilder.Sql("CREATE INDEX ix_audit_kr_kdd ON audit_events (ttp_audit_field(details, 'kdd'), sequence) WHERE action = 'key-request';");
            migrationBuilder.Sql("CREATE INDEX ix_audit_kr_kvn ON audit_events (ttp_audit_field(details, 'kvn'), sequence) WHERE action = 'key-request';");
            migrationBuilder.Sql("CREATE INDEX ix_audit_kr_kek_index ON audit_events (ttp_audit_field(details, 'kekIndex'), sequence) WHERE action = 'key-request';");
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
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS ttp_audit_field(text, text);");
        }
    }
}
