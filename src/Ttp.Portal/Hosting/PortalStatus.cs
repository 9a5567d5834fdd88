using Ttp.Domain;

namespace Ttp.Portal.Hosting;

/// <summary>What the portal learnt at start-up, for the layout (the software-LMK banner), and when the domain is ready.</summary>
internal sealed class PortalStatus
{
    private readonly TaskCompletionSource _domainReady = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public DomainStatus? Domain { get; private set; }

    /// <summary>Completes once <see cref="DomainStartup"/> has migrated the database and loaded the keys; background work waits for it.</summary>
    public Task DomainReady => _domainReady.Task;

    /// <summary>Records the domain's status and releases whatever waits on <see cref="DomainReady"/>.</summary>
    public void SetDomainReady(DomainStatus domain)
    {
        Domain = domain;
        _domainReady.TrySetResult();
    }
}
