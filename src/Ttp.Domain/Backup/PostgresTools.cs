using System.Diagnostics;
using Npgsql;

namespace Ttp.Domain.Backup;

/// <summary>
/// Runs PostgreSQL's own <c>pg_dump</c> and <c>pg_restore</c> for the configured database: found in the newest
/// <c>/usr/lib/postgresql/*/bin</c> (Debian's layout) or on <c>PATH</c>. The connection's host, port, user and database
/// go on the command line; the password only in the child's <c>PGPASSWORD</c> environment variable (never in
/// <c>ps</c>), and the TLS mode in <c>PGSSLMODE</c>.
/// </summary>
internal static class PostgresTools
{
    /// <summary><c>pg_dump --format=custom</c> of the database into <paramref name="file"/>, at <paramref name="snapshot"/>
    /// (an exported snapshot: the dump sees exactly what the transaction holding it sees).</summary>
    public static Task DumpAsync(string connectionString, string file, string snapshot, CancellationToken cancellationToken) =>
        RunAsync("pg_dump", connectionString,
            ["--format=custom", "--no-owner", "--no-privileges", "--snapshot=" + snapshot, "--file=" + file],
            cancellationToken);

    /// <summary><c>pg_restore</c> of <paramref name="file"/> into the (empty) database, in one transaction: all or nothing.</summary>
    public static Task RestoreAsync(string connectionString, string file, CancellationToken cancellationToken) =>
        RunAsync("pg_restore", connectionString,
            ["--single-transaction", "--exit-on-error", "--no-owner", "--no-privileges", file],
            cancellationToken);

    /// <summary>The program's path: the newest Debian cluster's bin folder, else <c>PATH</c>.</summary>
    /// <exception cref="RuleViolationException">Not installed (names the package to install).</exception>
    public static string Find(string program)
    {
        const string debian = "/usr/lib/postgresql";
        if (Directory.Exists(debian))
        {
            var newest = Directory.GetDirectories(debian)
                .Select(folder => (Folder: folder, Version: double.TryParse(Path.GetFileName(folder), System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : -1))
                .OrderByDescending(x => x.Version)
                .Select(x => Path.Combine(x.Folder, "bin", program))
                .FirstOrDefault(File.Exists);
            if (newest is not null)
            {
                return newest;
            }
        }

        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new RuleViolationException($"{program} not found in /usr/lib/postgresql/*/bin or on PATH: install the PostgreSQL client (Debian: postgresql-client)");
    }

    private static async Task RunAsync(string program, string connectionString, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(Find(program))
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--host=" + (connection.Host ?? "localhost"));
        start.ArgumentList.Add("--port=" + connection.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (!string.IsNullOrEmpty(connection.Username))
        {
            start.ArgumentList.Add("--username=" + connection.Username);
        }

        start.ArgumentList.Add("--no-password");
        start.ArgumentList.Add("--dbname=" + (connection.Database ?? connection.Username ?? "postgres"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("PGPASSWORD");
        if (!string.IsNullOrEmpty(connection.Password))
        {
            start.Environment["PGPASSWORD"] = connection.Password;
        }

        start.Environment["PGSSLMODE"] = connection.SslMode switch
        {
            SslMode.Disable => "disable",
            SslMode.Allow => "allow",
            SslMode.Prefer => "prefer",
            SslMode.Require => "require",
            SslMode.VerifyCA => "verify-ca",
            SslMode.VerifyFull => "verify-full",
            _ => "prefer",
        };

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        await output;
        var error = (await errors).Trim();
        if (process.ExitCode != 0)
        {
            // pg_dump and pg_restore name objects and connection problems, never the password (it is not theirs to print).
            var firstLine = error.Split('\n', 2)[0];
            throw new InvalidOperationException($"{program} exited {process.ExitCode}: {firstLine}");
        }
    }
}
