using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ttp.Domain.Data.Migrations.Postgres
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
                    id = table.Column<int>(type: "integer", nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: false)
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
            migrationBuilder.Sql(
                "CREATE FUNCTION bump_directory_version() RETURNS trigger LANGUAGE plpgsql AS $$ " +
                "BEGIN UPDATE directory_version SET version = version + 1 WHERE id = 1; RETURN NULL; END; $$;");
            foreach (var table in WatchedTables)
            {
                migrationBuilder.Sql(
                    $"CREATE TRIGGER trg_{table}_directory_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} " +
                    "FOR EACH STATEMENT EXECUTE FUNCTION bump_directory_version();");
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in WatchedTables)
            {
                migrationBuilder.Sql($"DROP TRIGGER trg_{table}_directory_version ON {table};");
            }

            migrationBuilder.Sql("DROP FUNCTION bump_directory_version();");
            migrationBuilder.DropTable(
                name: "directory_version");
        }
    }
}
