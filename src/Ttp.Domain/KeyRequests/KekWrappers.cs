using System.Collections.Concurrent;
using Ttp.Crypto.KeyBlocks;
using Ttp.Domain.Keks;
using Ttp.Domain.KeyStore;

namespace Ttp.Domain.KeyRequests;

/// <summary>
/// TR-31 wrappers of the active KEKs of one copy of the key-request directory, kept between requests: a wrapper holds
/// its KEK's derived KBEK and KBAK keyed (ANSI X9.143:2021 7.2), so that a request under a KEK already used does not open
/// the KEK's envelope and derive them again (about a third of an SCP02 request's crypto; docs/PERFORMANCE.md).
/// </summary>
/// <remarks>
/// <para>One set per <see cref="KeyRequestDirectory.Snapshot"/>: any change of TSMs, KEKs, key sets or the LMK makes a new
/// copy, and the old copy's wrappers are disposed (each as it is given back, when in use) — a retired or replaced KEK
/// stays usable in memory no longer than the copy that listed it. At most <see cref="IdlePerKek"/> idle wrappers per
/// KEK (one per request in flight under it; more are made when needed and disposed on return). A wrapper is used by
/// one request at a time (<see cref="Rent"/>, then dispose the lease).</para>
/// <para>Security model (docs/ARCHITECTURE.md, "Key material in memory"): the derived keys of an active KEK stay in process
/// memory while its directory copy is current, as the master keys would in an HSM's key cache; nothing of it is ever
/// written, logged or sent. The KEK itself is not kept: the wrapper's own copy of it is zeroed on dispose.</para>
/// </remarks>
internal sealed class KekWrappers : IDisposable
{
    /// <summary>Idle wrappers kept per KEK (the load test's 16 connections share one KEK).</summary>
    public const int IdlePerKek = 16;

    private readonly ConcurrentDictionary<Guid, ConcurrentBag<Tr31Wrapper>> _idle = new();
    private volatile bool _disposed;

    /// <summary>
    /// A wrapper of <paramref name="kek"/> (a TR-31 KEK of this directory copy): an idle one, or a new one from its
    /// envelope opened by <paramref name="vault"/>. Dispose the lease when the request's blocks are written.
    /// </summary>
    public Lease Rent(KeyVault vault, Kek kek)
    {
        ArgumentNullException.ThrowIfNull(vault);
        ArgumentNullException.ThrowIfNull(kek);
        if (!_disposed && _idle.TryGetValue(kek.Id, out var idle) && idle.TryTake(out var wrapper))
        {
            return new Lease(this, kek.Id, wrapper);
        }

        using var kekKey = vault.Open(kek.EnvelopeContext, kek.Envelope);
        return new Lease(this, kek.Id, Tr31KeyBlock.CreateWrapper(kekKey.Bytes, Kek.IsAes(kek.Algorithm) ? 'D' : 'B'));
    }

    /// <summary>Disposes the idle wrappers; wrappers in use are disposed when given back.</summary>
    public void Dispose()
    {
        _disposed = true;
        foreach (var idle in _idle.Values)
        {
            DisposeAll(idle);
        }
    }

    private void Return(Guid kekId, Tr31Wrapper wrapper)
    {
        if (_disposed)
        {
            wrapper.Dispose();
            return;
        }

        var idle = _idle.GetOrAdd(kekId, static _ => []);
        if (idle.Count >= IdlePerKek)
        {
            wrapper.Dispose();
            return;
        }

        idle.Add(wrapper);
        if (_disposed)
        {
            // Disposed while this one was being given back: nobody else will empty the bag.
            DisposeAll(idle);
        }
    }

    private static void DisposeAll(ConcurrentBag<Tr31Wrapper> idle)
    {
        while (idle.TryTake(out var wrapper))
        {
            wrapper.Dispose();
        }
    }

    /// <summary>A wrapper lent to one request; disposing it gives it back.</summary>
    public readonly struct Lease : IDisposable
    {
        private readonly KekWrappers _owner;
        private readonly Guid _kekId;

        internal Lease(KekWrappers owner, Guid kekId, Tr31Wrapper wrapper)
        {
            _owner = owner;
            _kekId = kekId;
            Wrapper = wrapper;
        }

        /// <summary>The wrapper, for this request only.</summary>
        public Tr31Wrapper Wrapper { get; }

        /// <inheritdoc />
        public void Dispose() => _owner?.Return(_kekId, Wrapper);
    }
}
