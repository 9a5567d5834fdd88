namespace Ttp.Domain.Staff;

/// <summary>
/// The enrolment link of a staff invitation: <c>&lt;portal&gt;/account/enrol#&lt;token&gt;</c>. The token travels in the
/// fragment, which a browser never sends to a server: it appears in no request line, access log or Referer header; the
/// enrolment page hands it to the portal in a form body.
/// </summary>
public static class EnrolmentLink
{
    /// <summary>The portal's enrolment page.</summary>
    public const string PagePath = "/account/enrol";

    /// <summary>The link relative to the portal's root: <c>/account/enrol#token</c>.</summary>
    public static string PathFor(string token) => PagePath + "#" + token;

    /// <summary>The absolute link on the portal at <paramref name="portal"/> (its path, if any, is kept as the base).</summary>
    public static Uri For(Uri portal, string token)
    {
        ArgumentNullException.ThrowIfNull(portal);
        var root = portal.GetLeftPart(UriPartial.Path);
        return new Uri(new Uri(root.EndsWith('/') ? root : root + "/"), PagePath.TrimStart('/') + "#" + token);
    }

    /// <summary>The token of a link as pasted (a whole link, <c>#token</c> or the bare token), trimmed; empty when none.</summary>
    public static string TokenOf(string? linkOrToken)
    {
        var text = (linkOrToken ?? string.Empty).Trim();
        var hash = text.LastIndexOf('#');
        return (hash >= 0 ? text[(hash + 1)..] : text).Trim();
    }
}
