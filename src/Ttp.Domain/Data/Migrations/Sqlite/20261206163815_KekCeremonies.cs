using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ttp.Domain.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class KekCeremonies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_keks_tsm_id_index",
                table: "keks");

            migrationBuilder.AddColumn<long>(
                name: "activated_at",
                table: "keks",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "activated_by",
                table: "keks",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "ceremony_id",
                table: "keks",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "retired_at",
                table: "keks",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "retired_by",
                table: "keks",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "version",
                table: "keks",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<long>(
                name: "acknowledged_at",
                table: "ceremony_components",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "kek_algorithm",
                table: "ceremonies",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "kek_format",
                table: "ceremonies",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "kek_index",
                table: "ceremonies",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "kek_version",
                table: "ceremonies",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "result_id",
                table: "ceremonies",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "tsm_id",
                table: "ceremonies",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_keks_tsm_id_index_version",
                table: "keks",
                columns: new[] { "tsm_id", "index", "version" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_keks_tsm_id_index_version",
                table: "keks");

            migrationBuilder.DropColumn(
                name: "activated_at",
                table: "keks");

            migrationBuilder.DropColumn(
                name: "activated_by",
                table: "keks");

            migrationBuilder.DropColumn(
                name: "ceremony_id",
                table: "keks");

            migrationBuilder.DropColumn(
                name: "retired_at",
                table: "keks");

            migrationBuilder.DropColumn(
                name: "retired_by",
                table: "keks");

            migrationBuilder.DropColumn(
                name: "version",
                table: "keks");

            migrationBuilder.DropColumn(
                name: "acknowledged_at",
                table: "ceremony_components");

            migrationBuilder.DropColumn(
                name: "kek_algorithm",
                table: "ceremonies");

            migrationBuilder.DropColumn(
                name: "kek_format",
                table: "ceremonies");

            migrationBuilder.DropColumn(
                name: "kek_index",
                table: "ceremonies");

            migrationBuilder.DropColumn(
                name: "kek_version",
                table: "ceremonies");

            migrationBuilder.DropColumn(
                name: "result_id",
                table: "ceremonies");

            migrationBuilder.DropColumn(
                name: "tsm_id",
                table: "ceremonies");

            migrationBuilder.CreateIndex(
                name: "ix_keks_tsm_id_index",
                table: "keks",
                columns: new[] { "tsm_id", "index" },
                unique: true);
        }
    }
}
