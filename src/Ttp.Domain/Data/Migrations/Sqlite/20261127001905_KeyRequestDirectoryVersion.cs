using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ttp.Domain.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class KeyRequestDirectoryVersion : Migration
    {
        private static readonly string[] WatchedTables = new[] { "tsms", "tsm_certificates", "tsm_issuer_scope", "keks", "issuer_key_sets" };

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "directory_version",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false),
                    version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_directory_version", x => x.id);
                });

            migrationBuilder.InsertData(
                table: "directory_version",
                columns: new[] { "id", "version" },
                values: new object[] { 1, 0L });

            // The database increments the version on every change of a table a key request reads, in the writer's
            // transaction, whoever the writer is (see Ttp.Domain.Data.DirectoryVersion).
            foreach (var table in WatchedTables)
            {
                foreach (var change in new[] { "INSERT", "UPDATE", "DELETE" })
                {
                    migrationBuilder.Sql(
                        $"CREATE TRIGGER trg_{table}_{change.ToLowerInvariant()}_directory_version AFTER {change} ON {table} " +
                        "BEGIN UPDATE directory_version SET version = version + 1 WHERE id = 1; END;");
                }
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in WatchedTables)
            {
                foreach (var change in new[] { "insert", "update", "delete" })
                {
                    migrationBuilder.Sql($"DROP TRIGGER trg_{table}_{change}_directory_version;");
                }
            }

            migrationBuilder.DropTable(
                name: "directory_version");
        }
    }
}
