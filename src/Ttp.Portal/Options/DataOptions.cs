using System.ComponentModel.DataAnnotations;

namespace Ttp.Portal.Options;

/// <summary>Where the embedded defaults (SQLite database, file LMK, self-signed certificate) live: section <c>Ttp</c>.</summary>
public sealed class DataOptions
{
    public const string Section = "Ttp";

    /// <summary><c>Ttp:DataDirectory</c>: folder for default files, relative to the working directory unless absolute.</summary>
    [Required(AllowEmptyStrings = false)]
    public string DataDirectory { get; set; } = "data";

    /// <summary>The data directory as an absolute path.</summary>
    public string FullDataDirectory => Path.GetFullPath(DataDirectory);
}
