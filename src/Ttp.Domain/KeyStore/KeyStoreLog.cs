using Microsoft.Extensions.Logging;

namespace Ttp.Domain.KeyStore;

/// <summary>Log messages of the key store: LMK ids, file paths, token and key labels, counts; never key material.</summary>
internal static partial class KeyStoreLog
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Warning, Message = "Created a new software LMK {LmkId} in {Path}; back it up with the database (without it no stored key opens)")]
    public static partial void LmkFileCreated(ILogger logger, string lmkId, string path);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "LMK {LmkId} loaded from {Where}")]
    public static partial void LmkLoaded(ILogger logger, string lmkId, string where);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Generated a new LMK {LmkId} in token '{Token}' as key '{Label}'")]
    public static partial void LmkKeyGenerated(ILogger logger, string lmkId, string token, string label);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Information, Message = "Next LMK {LmkId} created at {Where}")]
    public static partial void NextLmkCreated(ILogger logger, string lmkId, string where);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "LMK {NewLmkId} is now current; the old LMK {OldLmkId} is kept as {Where}: delete it once no backup needs it (at once if it was compromised)")]
    public static partial void LmkPromoted(ILogger logger, string newLmkId, string oldLmkId, string where);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Warning, Message = "Finishing an interrupted LMK promotion: key '{Label}' (LMK {LmkId}) becomes current")]
    public static partial void PromotionRecovered(ILogger logger, string label, string lmkId);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Critical, Message = "Refused the next-LMK file {Path} (LMK {LmkId}): no LMK rotation recorded here started it ({RecordPath} missing or not written under the current LMK {CurrentLmkId}); nothing is sealed under it. Move the file away and investigate who wrote it")]
    public static partial void NextLmkRefused(ILogger logger, string path, string lmkId, string recordPath, string currentLmkId);

    [LoggerMessage(EventId = 4110, Level = LogLevel.Information, Message = "LMK rotation from {PreviousLmkId} to {NextLmkId} {Mode}")]
    public static partial void RotationBegun(ILogger logger, string previousLmkId, string nextLmkId, string mode);

    [LoggerMessage(EventId = 4111, Level = LogLevel.Information, Message = "Re-wrapped {Count} {Table} envelopes under {NextLmkId} ({Total} so far)")]
    public static partial void RotationBatch(ILogger logger, int count, string table, string nextLmkId, int total);

    [LoggerMessage(EventId = 4112, Level = LogLevel.Information, Message = "LMK rotation complete: {Total} envelopes moved from {PreviousLmkId} to {NewLmkId}")]
    public static partial void RotationCompleted(ILogger logger, int total, string previousLmkId, string newLmkId);

    [LoggerMessage(EventId = 4120, Level = LogLevel.Warning, Message = "Upgrade: {Count} issuer master key and KEK envelopes were sealed again with their record's attributes")]
    public static partial void AttributesSealed(ILogger logger, int count);
}
