using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Ttp.Domain.Audit;

namespace Ttp.Domain.Data.Configurations;

// Column names are fixed and lower-case: AuditLedger writes these tables with plain SQL (one statement per batch, the
// same text on SQLite and PostgreSQL) and operators read them with sqlite3 or psql.
internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> builder)
    {
        builder.ToTable(AuditSchema.EventsTable);
        builder.HasKey(e => e.Sequence);
        builder.Property(e => e.Sequence).HasColumnName(AuditSchema.Sequence).ValueGeneratedNever();
        builder.Property(e => e.OccurredAt).HasColumnName(AuditSchema.OccurredAt);
        builder.Property(e => e.Stream).HasColumnName(AuditSchema.Stream);
        builder.Property(e => e.Action).HasColumnName(AuditSchema.Action).HasMaxLength(AuditRecord.MaxActionLength).IsRequired();
        builder.Property(e => e.Actor).HasColumnName(AuditSchema.Actor).HasMaxLength(AuditRecord.MaxActorLength).IsRequired();
        builder.Property(e => e.Subject).HasColumnName(AuditSchema.Subject).HasMaxLength(AuditRecord.MaxSubjectLength).IsRequired();
        builder.Property(e => e.Outcome).HasColumnName(AuditSchema.Outcome).HasMaxLength(AuditRecord.MaxOutcomeLength).IsRequired();
        builder.Property(e => e.Details).HasColumnName(AuditSchema.Details).IsRequired();
        builder.Property(e => e.Hash).HasColumnName(AuditSchema.Hash).IsRequired();
        builder.Property(e => e.Mac).HasColumnName(AuditSchema.Mac);
        builder.HasIndex(e => e.OccurredAt);
        builder.HasIndex(e => new { e.Stream, e.OccurredAt });
    }
}

internal sealed class AuditChainHeadConfiguration : IEntityTypeConfiguration<AuditChainHead>
{
    public void Configure(EntityTypeBuilder<AuditChainHead> builder)
    {
        builder.ToTable(AuditSchema.HeadTable);
        builder.HasKey(h => h.Id);
        builder.Property(h => h.Id).HasColumnName(AuditSchema.HeadId).ValueGeneratedNever();
        builder.Property(h => h.LastSequence).HasColumnName(AuditSchema.HeadLastSequence);
        builder.Property(h => h.LastHash).HasColumnName(AuditSchema.HeadLastHash).IsRequired();
        builder.Property(h => h.HmacThrough).HasColumnName(AuditSchema.HeadHmacThrough);
        builder.HasData(new AuditChainHead { Id = AuditChainHead.SingletonId, LastSequence = 0, LastHash = new byte[AuditHash.Size] });
    }
}
