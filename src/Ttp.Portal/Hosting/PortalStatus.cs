using Ttp.Domain;

namespace Ttp.Portal.Hosting;

/// <summary>What the portal learnt at start-up, for the layout (the software-LMK banner).</summary>
internal sealed class PortalStatus
{
    public DomainStatus? Domain { get; set; }
}
