using System.Text;
using Microsoft.Extensions.Options;
using Ttp.Domain;
using Ttp.Domain.Staff;

namespace Ttp.Portal.Hosting;

/// <summary>
/// The one-time setup token of the first run (a <see cref="OneTimeToken"/>, as staff invitations use) of which only the
/// SHA-256 hash is kept, in <c>setup-token.sha256</c> under the data directory (mode 0600). The token itself exists only
/// in the link logged once.
/// </summary>
internal sealed class FirstRunSetupToken(IOptions<DataOptions> data) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    private string FilePath => Path.Combine(data.Value.FullDataDirectory, "setup-token.sha256");

    /// <summary>Whether a setup token is waiting to be used.</summary>
    public bool IsOpen => File.Exists(FilePath);

    /// <summary>Creates a new token (replacing any earlier one) and returns it; only its hash is stored.</summary>
    public string Create()
    {
        var token = OneTimeToken.Create(out var hash);
        Ttp.Domain.Data.DataFiles.CreateDirectory(data.Value.FullDataDirectory);
        Delete();
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(FilePath, Encoding.ASCII, options))
        {
            writer.Write(Convert.ToHexString(hash));
        }

        return token;
    }

    /// <summary>Whether <paramref name="token"/> is the waiting token (constant-time comparison of the hashes).</summary>
    public bool Matches(string? token)
    {
        if (!OneTimeToken.IsWellFormed(token) || !IsOpen)
        {
            return false;
        }

        byte[] stored;
        try
        {
            stored = Convert.FromHexString(File.ReadAllText(FilePath).Trim());
        }
        catch (Exception e) when (e is IOException or FormatException)
        {
            return false;
        }

        return OneTimeToken.Matches(stored, token);
    }

    /// <summary>
    /// Runs <paramref name="use"/> if <paramref name="token"/> matches, one caller at a time, and deletes the token once
    /// <paramref name="use"/> succeeds; false when the token does not match (or was used meanwhile).
    /// </summary>
    public async Task<bool> UseAsync(string? token, Func<Task> use)
    {
        ArgumentNullException.ThrowIfNull(use);
        await _gate.WaitAsync();
        try
        {
            if (!Matches(token))
            {
                return false;
            }

            await use();
            Delete();
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Deletes the waiting token, if any.</summary>
    public void Delete()
    {
        if (File.Exists(FilePath))
        {
            File.Delete(FilePath);
        }
    }

    public void Dispose() => _gate.Dispose();
}
