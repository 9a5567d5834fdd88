namespace Ttp.Domain.Staff;

/// <summary>
/// A new invitation and its token, returned once to the one who invited, to pass on as the enrolment link; the token is
/// stored nowhere and <see cref="ToString"/> leaves it out, so that the object can be logged by mistake without harm.
/// </summary>
/// <param name="Invitation">What was issued.</param>
/// <param name="Token">The enrolment token (a secret until used).</param>
public sealed record IssuedInvitation(StaffInvitationInfo Invitation, string Token)
{
    /// <summary>The link relative to the portal's root (<see cref="EnrolmentLink.PathFor"/>).</summary>
    public string EnrolmentPath => EnrolmentLink.PathFor(Token);

    /// <summary>The absolute link on the portal at <paramref name="portal"/>.</summary>
    public Uri EnrolmentLinkOn(Uri portal) => EnrolmentLink.For(portal, Token);

    /// <inheritdoc />
    public override string ToString() => $"IssuedInvitation {{ Invitation = {Invitation}, Token = (secret) }}";
}
