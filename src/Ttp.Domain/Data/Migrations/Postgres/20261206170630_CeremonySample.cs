using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ttp.Domain.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CeremonySample : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "sample_enc_kcv",
                table: "ceremonies",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "sample_kdd",
                table: "ceremonies",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "sample_enc_kcv",
                table: "ceremonies");

            migrationBuilder.DropColumn(
                name: "sample_kdd",
                table: "ceremonies");
        }
    }
}
