using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Ttp.Domain.KeyStore;

namespace Ttp.Domain.Data.Configurations;

internal sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<DataProtectionKeyRecord>
{
    public void Configure(EntityTypeBuilder<DataProtectionKeyRecord> builder)
    {
        builder.ToTable("data_protection_keys");
        builder.HasKey(k => k.Id);
        builder.Property(k => k.FriendlyName).HasMaxLength(200).IsRequired();
        builder.HasIndex(k => k.FriendlyName).IsUnique();
        builder.Ignore(k => k.EnvelopeContext);
        builder.OwnsOne(k => k.Envelope, EnvelopeMapping.Map);
        builder.Navigation(k => k.Envelope).IsRequired();
    }
}
