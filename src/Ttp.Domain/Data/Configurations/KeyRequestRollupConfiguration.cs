using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Ttp.Domain.Audit;

namespace Ttp.Domain.Data.Configurations;

// Lower-case column names: KeyRequestRollup writes and reads these tables with plain SQL on both providers.
internal sealed class KeyRequestRollupRowConfiguration : IEntityTypeConfiguration<KeyRequestRollupRow>
{
    public void Configure(EntityTypeBuilder<KeyRequestRollupRow> builder)
    {
        builder.ToTable(KeyRequestRollupRow.Table);
        builder.HasKey(r => new { r.Hour, r.Tsm, r.Outcome, r.Bucket });
        builder.Property(r => r.Hour).HasColumnName("hour");
        builder.Property(r => r.Tsm).HasColumnName("tsm");
        builder.Property(r => r.Outcome).HasColumnName("outcome");
        builder.Property(r => r.Bucket).HasColumnName("bucket");
        builder.Property(r => r.Requests).HasColumnName("requests");
    }
}

internal sealed class KeyRequestRollupStateConfiguration : IEntityTypeConfiguration<KeyRequestRollupState>
{
    public void Configure(EntityTypeBuilder<KeyRequestRollupState> builder)
    {
        builder.ToTable(KeyRequestRollupState.Table);
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(s => s.Watermark).HasColumnName("watermark");
        builder.HasData(new KeyRequestRollupState { Id = KeyRequestRollupState.SingletonId, Watermark = 0 });
    }
}
