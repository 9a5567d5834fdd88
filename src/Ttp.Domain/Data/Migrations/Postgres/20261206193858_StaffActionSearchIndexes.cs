using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ttp.Domain.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class StaffActionSearchIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Partial indexes over staff-action rows (stream 1) for each filter of StaffActionSearch (StaffActionFilterSql
            // repeats the predicate literally); (column, sequence) so that a page in sequence order is read from the index.
            // The time filter uses ix_audit_events_stream_occurred_at. Literal here so that the migration never changes.
            migrationBuilder.Sql("CREATE INDEX ix_audit_sa_actor ON audit_events (actor, sequence) WHERE stream = 1;");
            migrationBuilder.Sql("CREATE INDEX ix_audit_sa_action ON audit_events (action, sequence) WHERE stream = 1;");
            migrationBuilder.Sql("CREATE INDEX ix_audit_sa_subject ON audit_events (subject, sequence) WHERE stream = 1;");
            migrationBuilder.Sql("CREATE INDEX ix_audit_sa_outcome ON audit_events (outcome, sequence) WHERE stream = 1;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_audit_sa_actor;");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_audit_sa_action;");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_audit_sa_subject;");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_audit_sa_outcome;");
        }
    }
}
