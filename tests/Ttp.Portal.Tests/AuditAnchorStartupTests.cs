using Microsoft.Data.Sqlite;
using Ttp.Domain;

namespace Ttp.Portal.Tests;

/// <summary>The portal refuses to start when the audit signing key was deleted from the database, naming it.</summary>
public sealed class AuditAnchorStartupTests
{
    [Fact]
    public async Task Start_SigningKeyRowDeletedAfterCheckpoints_RefusesToStartNamingTheKey()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("ttp-anchor-start-").FullName;
        var settings = new Dictionary<string, string> { ["Ttp:DataDirectory"] = dataDirectory };
        try
        {
            using (var first = new PortalHost(settings))
            {
                await first.SeedStaffAsync("operator@ttp.test", ["Operator"]);
            }

            Assert.True(File.Exists(Path.Combine(dataDirectory, "anchors", "checkpoints.jsonl")));
            SqliteConnection.ClearAllPools();
            await using (var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "ttp.db")};Pooling=False"))
            {
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = "DELETE FROM system_keys WHERE id = 'A0D17000-0000-4000-8000-000000000003'";
                Assert.Equal(1, await command.ExecuteNonQueryAsync());
            }

            using var second = new PortalHost(settings);
            var error = Assert.ThrowsAny<Exception>(() => second.CreateBrowser());

            var integrity = Assert.IsType<IntegrityException>(error is AggregateException aggregate ? aggregate.InnerException : error);
            Assert.Contains("AuditSigningKey", integrity.Message, StringComparison.Ordinal);
            Assert.Contains("holds checkpoints signed with it", integrity.Message, StringComparison.Ordinal);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }
}
