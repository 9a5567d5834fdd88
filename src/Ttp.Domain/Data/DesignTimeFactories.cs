using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Ttp.Domain.Data;

/// <summary>For <c>dotnet ef migrations add X --context SqliteTtpDbContext --output-dir Data/Migrations/Sqlite</c>.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteTtpDbContext>
{
    public SqliteTtpDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteTtpDbContext>().UseSqlite("Data Source=design-time.db").UseSnakeCaseNamingConvention().Options);
}

/// <summary>For <c>dotnet ef migrations add X --context PostgresTtpDbContext --output-dir Data/Migrations/Postgres</c>.</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresTtpDbContext>
{
    public PostgresTtpDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresTtpDbContext>().UseNpgsql("Host=localhost;Database=ttp_design").UseSnakeCaseNamingConvention().Options);
}
