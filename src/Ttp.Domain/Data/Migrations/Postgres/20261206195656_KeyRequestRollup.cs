using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ttp.Domain.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class KeyRequestRollup : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "key_request_rollup",
                columns: table => new
                {
                    hour = table.Column<long>(type: "bigint", nullable: false),
                    tsm = table.Column<string>(type: "text", nullable: false),
                    outcome = table.Column<string>(type: "text", nullable: false),
                    bucket = table.Column<int>(type: "integer", nullable: false),
                    requests = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_key_request_rollup", x => new { x.hour, x.tsm, x.outcome, x.bucket });
                });

            migrationBuilder.CreateTable(
                name: "key_request_rollup_state",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false),
                    watermark = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_key_request_rollup_state", x => x.id);
                });

            migrationBuilder.InsertData(
                table: "key_request_rollup_state",
                columns: new[] { "id", "watermark" },
                values: new object[] { 1, 0L });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "key_request_rollup");

            migrationBuilder.DropTable(
                name: "key_request_rollup_state");
        }
    }
}
