using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ttp.Domain.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class StaffAuthenticatorKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "staff_authenticator_keys",
                columns: table => new
                {
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    envelope_format = table.Column<int>(type: "integer", nullable: false),
                    envelope_lmk_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    envelope_wrapped_key = table.Column<byte[]>(type: "bytea", nullable: false),
                    envelope_payload = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_staff_authenticator_keys", x => x.user_id);
                    table.ForeignKey(
                        name: "fk_staff_authenticator_keys_asp_net_users_user_id",
                        column: x => x.user_id,
                        principalTable: "AspNetUsers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_staff_authenticator_keys_envelope_lmk_id",
                table: "staff_authenticator_keys",
                column: "envelope_lmk_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "staff_authenticator_keys");
        }
    }
}
