using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Ttp.Domain.Data;

/// <summary>Stores a <see cref="DateTimeOffset"/> as UTC microseconds since the Unix epoch.</summary>
public sealed class UnixMicrosecondsConverter() : ValueConverter<DateTimeOffset, long>(
    value => (value.UtcTicks - DateTimeOffset.UnixEpoch.Ticks) / 10,
    value => new DateTimeOffset(DateTimeOffset.UnixEpoch.Ticks + (value * 10), TimeSpan.Zero));
