using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ttp.Domain.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TsmChanges : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "tsm_changes",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    tsm_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    kind = table.Column<int>(type: "INTEGER", nullable: false),
                    added_issuers = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    sets_rate_limit = table.Column<bool>(type: "INTEGER", nullable: false),
                    rate_limit_per_second = table.Column<double>(type: "REAL", nullable: true),
                    certificate_der = table.Column<byte[]>(type: "BLOB", nullable: true),
                    certificate_sha256thumbprint = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    proposed_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    proposed_at = table.Column<long>(type: "INTEGER", nullable: false),
                    state = table.Column<int>(type: "INTEGER", nullable: false),
                    decided_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    decided_at = table.Column<long>(type: "INTEGER", nullable: true),
                    decision_reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    record_mac = table.Column<byte[]>(type: "BLOB", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tsm_changes", x => x.id);
                    table.ForeignKey(
                        name: "fk_tsm_changes_tsms_tsm_id",
                        column: x => x.tsm_id,
                        principalTable: "tsms",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_tsm_changes_tsm_id_state",
                table: "tsm_changes",
                columns: new[] { "tsm_id", "state" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "tsm_changes");
        }
    }
}
