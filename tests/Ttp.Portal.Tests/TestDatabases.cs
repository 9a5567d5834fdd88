using Ttp.Domain.Data;

namespace Ttp.Portal.Tests;

/// <summary>The database providers a portal test runs on, for <c>[MemberData]</c> (the test name shows the provider).</summary>
public static class TestDatabases
{
    /// <summary>SQLite (the embedded default) and PostgreSQL (a fresh database in the cluster of <c>TTP_TEST_POSTGRES</c>).</summary>
    public static TheoryData<DatabaseProvider> Both => new() { DatabaseProvider.Sqlite, DatabaseProvider.Postgres };

    /// <summary>Every row of <paramref name="rows"/> on each provider, the provider first.</summary>
    public static IEnumerable<object[]> OnBoth(IEnumerable<object[]> rows) =>
        from provider in new[] { DatabaseProvider.Sqlite, DatabaseProvider.Postgres }
        from row in rows
        select (object[])[provider, .. row];
}
