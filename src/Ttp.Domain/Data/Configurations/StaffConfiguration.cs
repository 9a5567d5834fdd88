using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Ttp.Domain.Staff;

namespace Ttp.Domain.Data.Configurations;

internal sealed class StaffInvitationConfiguration : IEntityTypeConfiguration<StaffInvitation>
{
    public void Configure(EntityTypeBuilder<StaffInvitation> builder)
    {
        builder.ToTable("staff_invitations");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.Email).HasMaxLength(256).IsRequired();
        builder.Property(i => i.NormalizedEmail).HasMaxLength(256).IsRequired();
        builder.Property(i => i.Roles).HasMaxLength(200).IsRequired();
        builder.Property(i => i.TokenHash).HasMaxLength(32).IsRequired();
        builder.HasIndex(i => i.TokenHash).IsUnique();
        builder.HasIndex(i => new { i.NormalizedEmail, i.State });
        builder.Property(i => i.CreatedBy).HasMaxLength(200).IsRequired();
        builder.Property(i => i.RevokedBy).HasMaxLength(200);
        builder.Ignore(i => i.RoleList);
    }
}
