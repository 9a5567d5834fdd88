using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ttp.Domain.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AccessRecordMacs : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "record_mac",
                table: "tsms",
                type: "bytea",
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "record_mac",
                table: "tsm_issuer_scope",
                type: "bytea",
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "record_mac",
                table: "tsm_certificates",
                type: "bytea",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "record_mac",
                table: "tsms");

            migrationBuilder.DropColumn(
                name: "record_mac",
                table: "tsm_issuer_scope");

            migrationBuilder.DropColumn(
                name: "record_mac",
                table: "tsm_certificates");
        }
    }
}
