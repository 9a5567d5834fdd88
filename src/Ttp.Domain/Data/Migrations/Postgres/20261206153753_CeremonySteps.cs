using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ttp.Domain.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CeremonySteps : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "closed_at",
                table: "ceremonies",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "closed_by",
                table: "ceremonies",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "custodians",
                table: "ceremonies",
                type: "character varying(4000)",
                maxLength: 4000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "final_check_value",
                table: "ceremonies",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "iin",
                table: "ceremonies",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "key_length",
                table: "ceremonies",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "key_reference",
                table: "ceremonies",
                type: "character varying(200)",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "kvn",
                table: "ceremonies",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "method",
                table: "ceremonies",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "scheme",
                table: "ceremonies",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "version",
                table: "ceremonies",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "ceremony_components",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    ceremony_id = table.Column<Guid>(type: "uuid", nullable: false),
                    key_reference = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    number = table.Column<int>(type: "integer", nullable: false),
                    custodian = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    entered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ceremony_components", x => x.id);
                    table.ForeignKey(
                        name: "fk_ceremony_components_ceremonies_ceremony_id",
                        column: x => x.ceremony_id,
                        principalTable: "ceremonies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_ceremonies_key_reference",
                table: "ceremonies",
                column: "key_reference");

            migrationBuilder.CreateIndex(
                name: "ix_ceremonies_state",
                table: "ceremonies",
                column: "state");

            migrationBuilder.CreateIndex(
                name: "ix_ceremony_components_ceremony_id_number",
                table: "ceremony_components",
                columns: new[] { "ceremony_id", "number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_ceremony_components_key_reference_custodian",
                table: "ceremony_components",
                columns: new[] { "key_reference", "custodian" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ceremony_components");

            migrationBuilder.DropIndex(
                name: "ix_ceremonies_key_reference",
                table: "ceremonies");

            migrationBuilder.DropIndex(
                name: "ix_ceremonies_state",
                table: "ceremonies");

            migrationBuilder.DropColumn(
                name: "closed_at",
                table: "ceremonies");

            migrationBuilder.DropColumn(
                name: "closed_by",
                table: "ceremonies");

            migrationBuilder.DropColumn(
                name: "custodians",
                table: "ceremonies");

            migrationBuilder.DropColumn(
                name: "final_check_value",
                table: "ceremonies");

            migrationBuilder.DropColumn(
                name: "iin",
                table: "ceremonies");

            migrationBuilder.DropColumn(
                name: "key_length",
                table: "ceremonies");

            migrationBuilder.DropColumn(
                name: "key_reference",
                table: "ceremonies");

            migrationBuilder.DropColumn(
                name: "kvn",
                table: "ceremonies");

            migrationBuilder.DropColumn(
                name: "method",
                table: "ceremonies");

            migrationBuilder.DropColumn(
                name: "scheme",
                table: "ceremonies");

            migrationBuilder.DropColumn(
                name: "version",
                table: "ceremonies");
        }
    }
}
