namespace Ttp.Portal.Hosting;

/// <summary>
/// A configuration file given by path, so that a published portal runs from any directory: <c>--config FILE</c> or the
/// <c>TTP_CONFIG</c> environment variable, read after <c>appsettings.json</c> (next to the binaries) and the environment
/// variables, as <c>ttpctl --config</c> is.
/// </summary>
public static class ConfigurationFile
{
    public const string Variable = "TTP_CONFIG";

    /// <summary>Adds the file when one is named; false with a message when it does not exist.</summary>
    public static bool TryAdd(WebApplicationBuilder builder, out string? error)
    {
        ArgumentNullException.ThrowIfNull(builder);
        error = null;
        var named = builder.Configuration["config"] ?? Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(named))
        {
            return true;
        }

        var path = Path.GetFullPath(named);
        if (!File.Exists(path))
        {
            error = $"--config (or {Variable}): no such file {path}";
            return false;
        }

        builder.Configuration.AddJsonFile(path, optional: false, reloadOnChange: false);
        return true;
    }
}
