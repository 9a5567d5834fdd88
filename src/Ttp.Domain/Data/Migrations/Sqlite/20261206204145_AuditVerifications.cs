using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ttp.Domain.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AuditVerifications : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "audit_verifications",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    started_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    started_at = table.Column<long>(type: "INTEGER", nullable: false),
                    state = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    records_checked = table.Column<long>(type: "INTEGER", nullable: false),
                    total_records = table.Column<long>(type: "INTEGER", nullable: false),
                    checkpoints_checked = table.Column<int>(type: "INTEGER", nullable: true),
                    finished_at = table.Column<long>(type: "INTEGER", nullable: true),
                    first_broken_sequence = table.Column<long>(type: "INTEGER", nullable: true),
                    outcome = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    problem = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    heartbeat_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_verifications", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_audit_verifications_started_at",
                table: "audit_verifications",
                column: "started_at");

            migrationBuilder.CreateIndex(
                name: "ix_audit_verifications_state",
                table: "audit_verifications",
                column: "state");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "audit_verifications");
        }
    }
}
