using System.ComponentModel.DataAnnotations;

namespace Ttp.Domain;

/// <summary>
/// Where the embedded defaults (SQLite database, file LMK, self-signed certificate) live: section <c>Ttp</c>.
/// The portal and <c>ttpctl</c> read the same value, so both see the same database and LMK.
/// </summary>
public sealed class DataOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Ttp";

    /// <summary><c>Ttp:DataDirectory</c>: folder for default files, relative to the working directory unless absolute.</summary>
    [Required(AllowEmptyStrings = false)]
    public string DataDirectory { get; set; } = "data";

    /// <summary>The data directory as an absolute path.</summary>
    public string FullDataDirectory => Path.GetFullPath(DataDirectory);
}
