using Microsoft.Extensions.Logging;

namespace Ttp.Domain.Data;

/// <summary>Log messages of the installation's files (event ids 4900-4949): paths and modes, never contents.</summary>
internal static partial class DataLog
{
    [LoggerMessage(EventId = 4900, Level = LogLevel.Warning, Message = "Tightened the mode of {Path} from {Before} to {After}: group and others had access")]
    public static partial void ModeTightened(ILogger logger, string path, string before, string after);

    [LoggerMessage(EventId = 4901, Level = LogLevel.Error, Message = "Could not tighten the mode of {Path} ({Reason}); run `{Fix}` as its owner")]
    public static partial void ModeNotTightened(ILogger logger, string path, string reason, string fix);
}
