using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Ttp.Domain.Ceremonies;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;
using Ttp.Domain.KeyStore;

namespace Ttp.Domain.Data.Configurations;

internal static class EnvelopeMapping
{
    /// <summary>Maps an owned <see cref="KeyEnvelope"/> to <c>envelope_*</c> columns of the owner's table.</summary>
    public static void Map<TOwner>(OwnedNavigationBuilder<TOwner, KeyEnvelope> envelope)
        where TOwner : class
    {
        envelope.Property(e => e.FormatVersion).HasColumnName("envelope_format");
        envelope.Property(e => e.LmkId).HasColumnName("envelope_lmk_id").HasMaxLength(64);
        envelope.Property(e => e.WrappedDataKey).HasColumnName("envelope_wrapped_key");
        envelope.Property(e => e.Payload).HasColumnName("envelope_payload");
        envelope.HasIndex(e => e.LmkId);
    }
}

internal sealed class IssuerKeySetConfiguration : IEntityTypeConfiguration<IssuerKeySet>
{
    public void Configure(EntityTypeBuilder<IssuerKeySet> builder)
    {
        builder.ToTable("issuer_key_sets");
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Iin).HasMaxLength(32).IsRequired();
        builder.HasIndex(k => new { k.Iin, k.Kvn }).IsUnique();
        builder.Property(k => k.KeyCheckValue).HasMaxLength(16);
        builder.Property(k => k.SampleKdd).HasMaxLength(20);
        builder.Property(k => k.SampleEncKcv).HasMaxLength(16);
        builder.Property(k => k.CreatedBy).HasMaxLength(200);
        builder.Property(k => k.ActivatedBy).HasMaxLength(200);
        builder.Ignore(k => k.Algorithm);
        builder.Ignore(k => k.EnvelopeContext);
        builder.OwnsOne(k => k.Envelope, EnvelopeMapping.Map);
        builder.Navigation(k => k.Envelope).IsRequired();
    }
}

internal sealed class KekConfiguration : IEntityTypeConfiguration<Kek>
{
    public void Configure(EntityTypeBuilder<Kek> builder)
    {
        builder.ToTable("keks");
        builder.HasKey(k => k.Id);
        builder.HasIndex(k => new { k.TsmId, k.Index, k.Version }).IsUnique();
        builder.HasOne<Ttp.Domain.Tsms.Tsm>().WithMany().HasForeignKey(k => k.TsmId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(k => k.KeyCheckValue).HasMaxLength(16);
        builder.Property(k => k.CreatedBy).HasMaxLength(200);
        builder.Property(k => k.ActivatedBy).HasMaxLength(200);
        builder.Property(k => k.RetiredBy).HasMaxLength(200);
        builder.Ignore(k => k.EnvelopeContext);
        builder.OwnsOne(k => k.Envelope, EnvelopeMapping.Map);
        builder.Navigation(k => k.Envelope).IsRequired();
    }
}

internal sealed class CeremonyConfiguration : IEntityTypeConfiguration<Ceremony>
{
    public void Configure(EntityTypeBuilder<Ceremony> builder)
    {
        builder.ToTable("ceremonies");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Label).HasMaxLength(200);
        builder.Property(c => c.OpenedBy).HasMaxLength(200);
        builder.Property(c => c.KeyReference).HasMaxLength(200);
        builder.Property(c => c.Iin).HasMaxLength(32);
        builder.Property(c => c.SampleKdd).HasMaxLength(20);
        builder.Property(c => c.SampleEncKcv).HasMaxLength(16);
        builder.Property(c => c.Custodians).HasMaxLength(4000);
        builder.Property(c => c.FinalCheckValue).HasMaxLength(16);
        builder.Property(c => c.ClosedBy).HasMaxLength(200);
        builder.Property(c => c.Version).IsConcurrencyToken();
        builder.Ignore(c => c.IsInProgress);
        builder.Ignore(c => c.IsKek);
        builder.Ignore(c => c.NamedCustodians);
        builder.HasIndex(c => c.KeyReference);
        builder.HasIndex(c => c.State);
        builder.OwnsOne(c => c.PartialEnvelope, EnvelopeMapping.Map);
    }
}

internal sealed class CeremonyComponentConfiguration : IEntityTypeConfiguration<CeremonyComponent>
{
    public void Configure(EntityTypeBuilder<CeremonyComponent> builder)
    {
        builder.ToTable("ceremony_components");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.KeyReference).HasMaxLength(200);
        builder.Property(c => c.Custodian).HasMaxLength(200);
        builder.HasOne<Ceremony>().WithMany().HasForeignKey(c => c.CeremonyId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(c => new { c.CeremonyId, c.Number }).IsUnique();

        // One person, one component of a key, whichever ceremony of that key it was entered in.
        builder.HasIndex(c => new { c.KeyReference, c.Custodian }).IsUnique();
    }
}

internal sealed class SystemKeyConfiguration : IEntityTypeConfiguration<SystemKey>
{
    public void Configure(EntityTypeBuilder<SystemKey> builder)
    {
        builder.ToTable("system_keys");
        builder.HasKey(k => k.Id);
        builder.Ignore(k => k.EnvelopeContext);
        builder.OwnsOne(k => k.Envelope, EnvelopeMapping.Map);
        builder.Navigation(k => k.Envelope).IsRequired();
    }
}

internal sealed class StaffAuthenticatorKeyConfiguration : IEntityTypeConfiguration<Staff.StaffAuthenticatorKey>
{
    public void Configure(EntityTypeBuilder<Staff.StaffAuthenticatorKey> builder)
    {
        builder.ToTable("staff_authenticator_keys");
        builder.HasKey(k => k.UserId);
        builder.HasOne<Staff.StaffUser>().WithMany().HasForeignKey(k => k.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Ignore(k => k.EnvelopeContext);
        builder.OwnsOne(k => k.Envelope, EnvelopeMapping.Map);
        builder.Navigation(k => k.Envelope).IsRequired();
    }
}
