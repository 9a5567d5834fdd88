using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Ttp.Domain.Tsms;

namespace Ttp.Domain.Data.Configurations;

internal sealed class TsmConfiguration : IEntityTypeConfiguration<Tsm>
{
    public void Configure(EntityTypeBuilder<Tsm> builder)
    {
        builder.ToTable("tsms");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Name).HasMaxLength(64).IsRequired();
        builder.HasIndex(t => t.Name).IsUnique();
        builder.Property(t => t.Organisation).HasMaxLength(200);
        builder.Property(t => t.ContactName).HasMaxLength(200);
        builder.Property(t => t.ContactEmail).HasMaxLength(200);
        builder.Property(t => t.ContactPhone).HasMaxLength(50);
        builder.Property(t => t.StateReason).HasMaxLength(500);
        builder.Property(t => t.RegisteredBy).HasMaxLength(200);
        builder.Property(t => t.ApprovedBy).HasMaxLength(200);
        builder.HasMany(t => t.Certificates).WithOne().HasForeignKey(c => c.TsmId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(t => t.Scope).WithOne().HasForeignKey(s => s.TsmId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(t => t.Certificates).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.Navigation(t => t.Scope).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class TsmCertificateConfiguration : IEntityTypeConfiguration<TsmCertificate>
{
    public void Configure(EntityTypeBuilder<TsmCertificate> builder)
    {
        builder.ToTable("tsm_certificates");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Sha256Thumbprint).HasMaxLength(64).IsRequired();
        builder.HasIndex(c => c.Sha256Thumbprint).IsUnique();
        builder.Property(c => c.Subject).HasMaxLength(1000);
        builder.Property(c => c.Issuer).HasMaxLength(1000);
    }
}

internal sealed class TsmIssuerScopeConfiguration : IEntityTypeConfiguration<TsmIssuerScope>
{
    public void Configure(EntityTypeBuilder<TsmIssuerScope> builder)
    {
        builder.ToTable("tsm_issuer_scope");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Iin).HasMaxLength(32).IsRequired();
        builder.HasIndex(s => new { s.TsmId, s.Iin }).IsUnique();
    }
}

internal sealed class TsmChangeConfiguration : IEntityTypeConfiguration<TsmChange>
{
    public void Configure(EntityTypeBuilder<TsmChange> builder)
    {
        builder.ToTable("tsm_changes");
        builder.HasKey(c => c.Id);
        builder.HasOne<Tsm>().WithMany().HasForeignKey(c => c.TsmId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(c => new { c.TsmId, c.State });
        builder.Property(c => c.AddedIssuers).HasMaxLength(2000);
        builder.Property(c => c.CertificateSha256Thumbprint).HasMaxLength(64);
        builder.Property(c => c.Reason).HasMaxLength(500);
        builder.Property(c => c.DecisionReason).HasMaxLength(500);
        builder.Property(c => c.ProposedBy).HasMaxLength(200);
        builder.Property(c => c.DecidedBy).HasMaxLength(200);
        builder.Ignore(c => c.Summary);
    }
}

internal sealed class DirectoryVersionConfiguration : IEntityTypeConfiguration<DirectoryVersion>
{
    public void Configure(EntityTypeBuilder<DirectoryVersion> builder)
    {
        builder.ToTable(DirectoryVersion.Table);
        builder.HasKey(v => v.Id);
        builder.Property(v => v.Id).ValueGeneratedNever();
        builder.HasData(new { Id = DirectoryVersion.SingletonId, Version = 0L });
    }
}
