using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ttp.Domain.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TsmContacts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "contact_email",
                table: "tsms",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "contact_name",
                table: "tsms",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "contact_phone",
                table: "tsms",
                type: "TEXT",
                maxLength: 50,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "contact_email",
                table: "tsms");

            migrationBuilder.DropColumn(
                name: "contact_name",
                table: "tsms");

            migrationBuilder.DropColumn(
                name: "contact_phone",
                table: "tsms");
        }
    }
}
