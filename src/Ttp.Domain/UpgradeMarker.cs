namespace Ttp.Domain;

/// <summary>
/// A file in the data directory (outside the database) that records that a one-time conversion of an older
/// installation is done. A database writer cannot reset it, so data that only the conversion would have accepted (a key
/// envelope without sealed attributes, an access record without a MAC) is refused once it exists.
/// </summary>
internal static class UpgradeMarker
{
    public static string PathOf(DataOptions data, string name) => Path.Combine(data.FullDataDirectory, name);

    public static bool IsDone(DataOptions data, string name) => File.Exists(PathOf(data, name));

    public static async Task MarkDoneAsync(DataOptions data, string name, string what, CancellationToken cancellationToken)
    {
        Data.DataFiles.CreateDirectory(data.FullDataDirectory);
        if (!IsDone(data, name))
        {
            await File.WriteAllTextAsync(PathOf(data, name), what + " Do not delete.\n", cancellationToken);
        }
    }
}
