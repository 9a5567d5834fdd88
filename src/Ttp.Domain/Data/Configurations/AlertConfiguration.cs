using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Ttp.Domain.Alerts;

namespace Ttp.Domain.Data.Configurations;

// Lower-case column names: the partial unique index's filter is the same SQL on both providers.
internal sealed class AuditAlertConfiguration : IEntityTypeConfiguration<AuditAlert>
{
    public void Configure(EntityTypeBuilder<AuditAlert> builder)
    {
        builder.ToTable("audit_alerts");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(a => a.Kind).HasColumnName("kind");
        builder.Property(a => a.DedupeKey).HasColumnName("dedupe_key").HasMaxLength(AuditAlert.MaxKeyLength).IsRequired();
        builder.Property(a => a.Subject).HasColumnName("subject").HasMaxLength(AuditAlert.MaxKeyLength).IsRequired();
        builder.Property(a => a.Summary).HasColumnName("summary").HasMaxLength(AuditAlert.MaxSummaryLength).IsRequired();
        builder.Property(a => a.Details).HasColumnName("details").IsRequired();
        builder.Property(a => a.FirstSeen).HasColumnName("first_seen");
        builder.Property(a => a.LastSeen).HasColumnName("last_seen");
        builder.Property(a => a.Count).HasColumnName("count");
        builder.Property(a => a.Sequences).HasColumnName("sequences").HasMaxLength(500).IsRequired();
        builder.Property(a => a.State).HasColumnName("state");
        builder.Property(a => a.AcknowledgedBy).HasColumnName("acknowledged_by").HasMaxLength(200);
        builder.Property(a => a.AcknowledgedAt).HasColumnName("acknowledged_at");
        builder.Property(a => a.Note).HasColumnName("note").HasMaxLength(AuditAlert.MaxNoteLength);
        builder.Ignore(a => a.SequenceList);

        // One open alert per condition; acknowledged ones keep their key (a recurrence opens a new alert).
        builder.HasIndex(a => a.DedupeKey, "ix_audit_alerts_open_key").IsUnique().HasFilter("state = 1");
        builder.HasIndex(a => new { a.State, a.LastSeen }, "ix_audit_alerts_state_last_seen");
        builder.HasIndex(a => new { a.DedupeKey, a.AcknowledgedAt }, "ix_audit_alerts_key");
    }
}

internal sealed class AlertScanStateConfiguration : IEntityTypeConfiguration<AlertScanState>
{
    public void Configure(EntityTypeBuilder<AlertScanState> builder)
    {
        builder.ToTable("audit_alert_scan");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(s => s.LastSequence).HasColumnName("last_sequence");
        builder.HasData(new AlertScanState { Id = AlertScanState.SingletonId, LastSequence = 0 });
    }
}
