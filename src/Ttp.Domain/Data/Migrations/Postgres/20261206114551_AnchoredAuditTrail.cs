using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ttp.Domain.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AnchoredAuditTrail : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "mac",
                table: "audit_events",
                type: "bytea",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "hmac_through",
                table: "audit_chain_head",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            // Hand-written (keep it when regenerating this migration): every record written so far was chained with
            // HMAC by the previous release; the SHA-256 chain starts after the head as it is now. A new installation's
            // head is at 0, so HasData's 0 agrees.
            migrationBuilder.Sql("UPDATE audit_chain_head SET hmac_through = last_sequence;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "mac",
                table: "audit_events");

            migrationBuilder.DropColumn(
                name: "hmac_through",
                table: "audit_chain_head");
        }
    }
}
