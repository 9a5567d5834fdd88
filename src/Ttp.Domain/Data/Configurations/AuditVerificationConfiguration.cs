using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Ttp.Domain.Audit;

namespace Ttp.Domain.Data.Configurations;

internal sealed class AuditVerificationConfiguration : IEntityTypeConfiguration<AuditVerification>
{
    public void Configure(EntityTypeBuilder<AuditVerification> builder)
    {
        builder.ToTable("audit_verifications");
        builder.HasKey(v => v.Id);
        builder.Property(v => v.Id).ValueGeneratedNever();
        builder.Property(v => v.StartedBy).HasMaxLength(AuditRecord.MaxActorLength).IsRequired();
        builder.Property(v => v.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(v => v.Outcome).HasMaxLength(32);
        builder.Property(v => v.Problem).HasMaxLength(1000);
        builder.Ignore(v => v.RatePerSecond);
        builder.Ignore(v => v.TimeLeft);
        builder.Ignore(v => v.Duration);
        builder.Ignore(v => v.StartedText);
        builder.HasIndex(v => v.State);
        builder.HasIndex(v => v.StartedAt);
    }
}
