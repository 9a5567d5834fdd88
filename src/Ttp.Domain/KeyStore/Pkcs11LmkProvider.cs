using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace Ttp.Domain.KeyStore;

/// <summary>
/// The <see cref="LmkProviderKind.Pkcs11"/> LMK: a non-extractable, sensitive AES-256 token key found by its label
/// (generated in the token on first use when no key has the label). Data keys are wrapped in the HSM with
/// <c>CKM_AES_GCM</c> (96-bit nonce from the host, 128-bit tag, the LMK-layer associated data as GCM AAD), so the LMK
/// never leaves the token. The key's id comes from the token's <c>CKA_CHECK_VALUE</c> (see <see cref="LmkIds"/>).
/// A key generated here may be used for <c>CKM_AES_GCM</c> only (<c>CKA_ALLOWED_MECHANISMS</c>), and for encrypt and
/// decrypt only (no wrap, unwrap, sign or derive).
/// </summary>
/// <remarks>
/// Rotation: the next LMK is a second key labelled <c>&lt;KeyLabel&gt;-next</c>. Promotion relabels (C_SetAttributeValue
/// on <c>CKA_LABEL</c>) the current key to <c>&lt;KeyLabel&gt;-retired-&lt;id&gt;</c>, then the next key to
/// <c>&lt;KeyLabel&gt;</c>; a crash between the two leaves no current key and a next key, which the next start (or
/// refresh) completes. The retired key is kept, like the file provider's, for pre-rotation backups: the HSM's security
/// officer destroys it once no backup needs it. Sessions are pooled (one operation per session at a time); login is
/// per application, so the pooled sessions keep it.
/// </remarks>
internal sealed class Pkcs11LmkProvider : ILmkProvider
{
    private const string NextSuffix = "-next";
    private const string RetiredInfix = "-retired-";
    private const int KeyLength = 32;

    private readonly Pkcs11Module _module;
    private readonly ISlot _slot = null!;
    private readonly string _tokenLabel;
    private readonly string _keyLabel;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly ConcurrentBag<ISession> _idle = [];
    private readonly ConcurrentDictionary<string, IObjectHandle> _keys = new(StringComparer.Ordinal);
    private volatile string _currentId = string.Empty;
    private volatile string? _nextId;
    private volatile bool _disposed;

    /// <summary>Opens the token, logs in and finds (or generates) the LMK.</summary>
    /// <exception cref="LmkUnavailableException">The module, token, PIN or key is not usable; the message names the
    /// configuration key.</exception>
    public Pkcs11LmkProvider(Pkcs11LmkOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _tokenLabel = options.TokenLabel ?? throw new ArgumentException("TokenLabel is required.", nameof(options));
        _keyLabel = string.IsNullOrWhiteSpace(options.KeyLabel) ? Pkcs11LmkOptions.DefaultKeyLabel : options.KeyLabel;
        _logger = logger ?? NullLogger.Instance;
        _module = Pkcs11Module.Acquire(options.LibraryPath ?? throw new ArgumentException("LibraryPath is required.", nameof(options)));
        try
        {
            _slot = FindSlot();
            var token = _slot.GetTokenInfo();
            IsSoftware = token.ManufacturerId.Contains("SoftHSM", StringComparison.OrdinalIgnoreCase);
            Description = $"PKCS#11 token '{_tokenLabel}' ({token.ManufacturerId.Trim()} {token.Model.Trim()}), key '{_keyLabel}'";
            Login(options.UserPin ?? string.Empty);
            lock (_gate)
            {
                Load(createIfMissing: true);
            }

            KeyStoreLog.LmkLoaded(_logger, _currentId, Description);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public string CurrentLmkId => _currentId;

    /// <inheritdoc />
    public string? NextLmkId => _nextId;

    /// <summary>True for SoftHSM (a software token): the portal's "software LMK" banner applies to it too.</summary>
    public bool IsSoftware { get; }

    /// <inheritdoc />
    public string Description { get; } = string.Empty;

    /// <summary>The label the current LMK has (<c>KeyLabel</c>).</summary>
    public string KeyLabel => _keyLabel;

    /// <inheritdoc />
    public void Refresh()
    {
        lock (_gate)
        {
            Load(createIfMissing: false);
        }
    }

    /// <inheritdoc />
    public bool Holds(string lmkId)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_keys.ContainsKey(lmkId))
        {
            return true;
        }

        lock (_gate)
        {
            Load(createIfMissing: false);
            if (_keys.ContainsKey(lmkId))
            {
                return true;
            }

            if (!LmkIds.IsWellFormed(lmkId))
            {
                return false;
            }

            using var lease = Rent();
            var label = _keyLabel + RetiredInfix + lmkId;
            var retired = FindOne(lease.Session, label);
            if (retired is null)
            {
                return false;
            }

            var found = Remember(lease.Session, retired, label);
            if (found != lmkId)
            {
                throw new LmkUnavailableException($"Token '{_tokenLabel}': key '{label}' is LMK {found}, not {lmkId}");
            }

            return true;
        }
    }

    /// <inheritdoc />
    public byte[] Wrap(string lmkId, ReadOnlySpan<byte> dataKey, ReadOnlySpan<byte> associatedData)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        LmkWrapFormat.RequireDataKey(dataKey.Length);
        if (lmkId != _currentId && lmkId != _nextId)
        {
            throw new InvalidOperationException($"LMK {lmkId} is neither the current nor the next LMK; only those wrap.");
        }

        var handle = _keys[lmkId];
        var nonce = RandomNumberGenerator.GetBytes(LmkWrapFormat.NonceLength);
        var plain = dataKey.ToArray();
        try
        {
            byte[] sealedKey;
            using (var lease = Rent())
            using (var parameters = _module.Factories.MechanismParamsFactory.CreateCkGcmParams(nonce, LmkWrapFormat.NonceLength * 8, associatedData.ToArray(), LmkWrapFormat.TagLength * 8))
            using (var mechanism = _module.Factories.MechanismFactory.Create(CKM.CKM_AES_GCM, parameters))
            {
                sealedKey = lease.Session.Encrypt(mechanism, handle, plain);
            }

            if (sealedKey.Length != LmkWrapFormat.DataKeyLength + LmkWrapFormat.TagLength)
            {
                throw new LmkUnavailableException($"Token '{_tokenLabel}' returned {sealedKey.Length} bytes for an AES-GCM wrap; expected {LmkWrapFormat.DataKeyLength + LmkWrapFormat.TagLength}");
            }

            return [.. nonce, .. sealedKey];
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <inheritdoc />
    public bool TryUnwrap(string lmkId, ReadOnlySpan<byte> wrappedKey, ReadOnlySpan<byte> associatedData, Span<byte> dataKey)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        LmkWrapFormat.RequireDataKey(dataKey.Length);
        if (!_keys.TryGetValue(lmkId, out var handle))
        {
            if (!Holds(lmkId))
            {
                throw new LmkUnavailableException($"LMK {lmkId} is not held here ({Description}; current LMK {_currentId})");
            }

            handle = _keys[lmkId];
        }

        if (wrappedKey.Length != LmkWrapFormat.WrappedLength)
        {
            return false;
        }

        byte[] plain;
        try
        {
            using var lease = Rent();
            using var parameters = _module.Factories.MechanismParamsFactory.CreateCkGcmParams(
                wrappedKey[..LmkWrapFormat.NonceLength].ToArray(), LmkWrapFormat.NonceLength * 8, associatedData.ToArray(), LmkWrapFormat.TagLength * 8);
            using var mechanism = _module.Factories.MechanismFactory.Create(CKM.CKM_AES_GCM, parameters);
            plain = lease.Session.Decrypt(mechanism, handle, wrappedKey[LmkWrapFormat.NonceLength..].ToArray());
        }
        catch (Pkcs11Exception e) when (e.RV is CKR.CKR_ENCRYPTED_DATA_INVALID or CKR.CKR_ENCRYPTED_DATA_LEN_RANGE or CKR.CKR_GENERAL_ERROR or CKR.CKR_FUNCTION_FAILED)
        {
            // SoftHSM reports a GCM tag mismatch as a general error; tokens differ. Either way the key did not open.
            return false;
        }

        try
        {
            if (plain.Length != KeyLength)
            {
                return false;
            }

            plain.CopyTo(dataKey);
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <inheritdoc />
    public string BeginRotation()
    {
        lock (_gate)
        {
            Load(createIfMissing: false);
            if (_nextId is { } resumed)
            {
                return resumed;
            }

            using var lease = Rent();
            var label = _keyLabel + NextSuffix;
            while (true)
            {
                var handle = Generate(lease.Session, label);
                var id = Remember(lease.Session, handle, label);
                if (id != _currentId && FindOne(lease.Session, _keyLabel + RetiredInfix + id) is null)
                {
                    _nextId = id;
                    var where = $"token '{_tokenLabel}' key '{label}'";
                    KeyStoreLog.NextLmkCreated(_logger, id, where);
                    return id;
                }

                // Same check value as a key this token holds (one chance in 2^24): draw another key.
                _keys.TryRemove(new KeyValuePair<string, IObjectHandle>(id, handle));
                lease.Session.DestroyObject(handle);
            }
        }
    }

    /// <inheritdoc />
    public void CompleteRotation()
    {
        lock (_gate)
        {
            Load(createIfMissing: false);
            if (_nextId is not { } next)
            {
                return;
            }

            var old = _currentId;
            var retiredLabel = _keyLabel + RetiredInfix + old;
            using (var lease = Rent())
            {
                SetLabel(lease.Session, _keys[old], retiredLabel);
                SetLabel(lease.Session, _keys[next], _keyLabel);
            }

            _currentId = next;
            _nextId = null;
            var where = $"token '{_tokenLabel}' key '{retiredLabel}'";
            KeyStoreLog.LmkPromoted(_logger, next, old, where);
        }
    }

    /// <summary>The security attributes of an LMK in the token (for tests and <c>ttpctl</c> diagnostics).</summary>
    internal Pkcs11KeyFacts DescribeKey(string lmkId)
    {
        if (!Holds(lmkId))
        {
            throw new LmkUnavailableException($"LMK {lmkId} is not held here ({Description})");
        }

        using var lease = Rent();
        var values = lease.Session.GetAttributeValue(
            _keys[lmkId],
            [CKA.CKA_LABEL, CKA.CKA_SENSITIVE, CKA.CKA_EXTRACTABLE, CKA.CKA_ALWAYS_SENSITIVE, CKA.CKA_NEVER_EXTRACTABLE, CKA.CKA_TOKEN, CKA.CKA_VALUE_LEN]);
        try
        {
            return new Pkcs11KeyFacts(
                values[0].GetValueAsString(),
                values[1].GetValueAsBool(),
                values[2].GetValueAsBool(),
                values[3].GetValueAsBool(),
                values[4].GetValueAsBool(),
                values[5].GetValueAsBool(),
                (int)values[6].GetValueAsUlong());
        }
        finally
        {
            DisposeAll(values);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        while (_idle.TryTake(out var session))
        {
            try
            {
                session.Dispose();
            }
            catch (Pkcs11Exception)
            {
                // Closing a session of a token that went away: nothing left to release.
            }
        }

        _keys.Clear();
        _module.Dispose();
    }

    private ISlot FindSlot()
    {
        var labels = new List<string>();
        foreach (var slot in _module.Library.GetSlotList(SlotsType.WithTokenPresent))
        {
            var label = slot.GetTokenInfo().Label.TrimEnd();
            if (label == _tokenLabel)
            {
                return slot;
            }

            labels.Add(label);
        }

        throw new LmkUnavailableException(
            $"{LmkOptions.Section}:Pkcs11:TokenLabel: no token labelled '{_tokenLabel}' in {_module.LibraryPath} " +
            $"(tokens present: {(labels.Count == 0 ? "none" : string.Join(", ", labels.Select(l => "'" + l + "'")))})");
    }

    private void Login(string pin)
    {
        var pinBytes = Encoding.UTF8.GetBytes(pin);
        try
        {
            using var lease = Rent();
            lease.Session.Login(CKU.CKU_USER, pinBytes);
        }
        catch (Pkcs11Exception e) when (e.RV == CKR.CKR_USER_ALREADY_LOGGED_IN)
        {
            // Login is per application: another provider over the same token in this process logged in already.
        }
        catch (Pkcs11Exception e) when (e.RV is CKR.CKR_PIN_INCORRECT or CKR.CKR_PIN_INVALID or CKR.CKR_PIN_LEN_RANGE)
        {
            throw new LmkUnavailableException($"{LmkOptions.Section}:Pkcs11:UserPin: token '{_tokenLabel}' refused the PIN");
        }
        catch (Pkcs11Exception e) when (e.RV == CKR.CKR_PIN_LOCKED)
        {
            throw new LmkUnavailableException($"{LmkOptions.Section}:Pkcs11:UserPin: the user PIN of token '{_tokenLabel}' is locked; the token's security officer must reset it");
        }
        catch (Pkcs11Exception e)
        {
            throw new LmkUnavailableException($"{LmkOptions.Section}:Pkcs11: cannot log in to token '{_tokenLabel}': {e.RV}");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pinBytes);
        }
    }

    private void Load(bool createIfMissing)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var lease = Rent();
        var session = lease.Session;
        var nextLabel = _keyLabel + NextSuffix;
        var current = FindOne(session, _keyLabel);
        var next = FindOne(session, nextLabel);
        if (current is null)
        {
            if (next is not null)
            {
                // A promotion stopped after retiring the old LMK: every envelope is under the next LMK already.
                SetLabel(session, next, _keyLabel);
                current = next;
                next = null;
                var promoted = Remember(session, current, _keyLabel);
                KeyStoreLog.PromotionRecovered(_logger, _keyLabel, promoted);
            }
            else if (createIfMissing)
            {
                current = Generate(session, _keyLabel);
                var generated = Remember(session, current, _keyLabel);
                KeyStoreLog.LmkKeyGenerated(_logger, generated, _tokenLabel, _keyLabel);
            }
            else
            {
                throw new LmkUnavailableException(
                    $"Token '{_tokenLabel}' holds no key labelled '{_keyLabel}' any more: restore the LMK from the HSM's backup");
            }
        }

        _currentId = Remember(session, current, _keyLabel);
        _nextId = next is null ? null : Remember(session, next, nextLabel);
    }

    private IObjectHandle? FindOne(ISession session, string label)
    {
        var template = new List<IObjectAttribute>
        {
            _module.Factories.ObjectAttributeFactory.Create(CKA.CKA_CLASS, CKO.CKO_SECRET_KEY),
            _module.Factories.ObjectAttributeFactory.Create(CKA.CKA_LABEL, label),
        };
        try
        {
            var found = session.FindAllObjects(template);
            return found.Count switch
            {
                0 => null,
                1 => found[0],
                _ => throw new LmkUnavailableException(
                    $"Token '{_tokenLabel}' holds {found.Count} keys labelled '{label}'; there must be one (is another LMK rotation running?)"),
            };
        }
        finally
        {
            DisposeAll(template);
        }
    }

    // Checks that the key is a sensitive, non-extractable AES-256 key, records its handle under its id, returns the id.
    private string Remember(ISession session, IObjectHandle handle, string label)
    {
        var values = session.GetAttributeValue(handle, [CKA.CKA_KEY_TYPE, CKA.CKA_VALUE_LEN, CKA.CKA_SENSITIVE, CKA.CKA_EXTRACTABLE, CKA.CKA_CHECK_VALUE]);
        try
        {
            if (values[0].CannotBeRead || values[0].GetValueAsUlong() != (ulong)CKK.CKK_AES ||
                values[1].CannotBeRead || values[1].GetValueAsUlong() != KeyLength)
            {
                throw new LmkUnavailableException($"Token '{_tokenLabel}': key '{label}' is not an AES-256 key; the LMK must be one");
            }

            if (!values[2].GetValueAsBool() || values[3].GetValueAsBool())
            {
                throw new LmkUnavailableException(
                    $"Token '{_tokenLabel}': key '{label}' is extractable or not sensitive; the LMK must be CKA_SENSITIVE and not CKA_EXTRACTABLE");
            }

            var checkValue = values[4].CannotBeRead ? [] : values[4].GetValueAsByteArray() ?? [];
            if (checkValue.Length < 3)
            {
                throw new LmkUnavailableException($"Token '{_tokenLabel}' gives no CKA_CHECK_VALUE for key '{label}'; the LMK id is derived from it");
            }

            var id = LmkIds.FromCheckValue(checkValue);
            _keys[id] = handle;
            return id;
        }
        finally
        {
            DisposeAll(values);
        }
    }

    private IObjectHandle Generate(ISession session, string label)
    {
        var factory = _module.Factories.ObjectAttributeFactory;
        var template = new List<IObjectAttribute>
        {
            factory.Create(CKA.CKA_CLASS, CKO.CKO_SECRET_KEY),
            factory.Create(CKA.CKA_KEY_TYPE, CKK.CKK_AES),
            factory.Create(CKA.CKA_VALUE_LEN, (ulong)KeyLength),
            factory.Create(CKA.CKA_LABEL, label),
            factory.Create(CKA.CKA_TOKEN, true),
            factory.Create(CKA.CKA_PRIVATE, true),
            factory.Create(CKA.CKA_SENSITIVE, true),
            factory.Create(CKA.CKA_EXTRACTABLE, false),
            factory.Create(CKA.CKA_MODIFIABLE, true), // the label changes at rotation; the security attributes cannot
            factory.Create(CKA.CKA_ENCRYPT, true),
            factory.Create(CKA.CKA_DECRYPT, true),
            factory.Create(CKA.CKA_WRAP, false),
            factory.Create(CKA.CKA_UNWRAP, false),
            factory.Create(CKA.CKA_SIGN, false),
            factory.Create(CKA.CKA_VERIFY, false),
            factory.Create(CKA.CKA_DERIVE, false),
            factory.Create(CKA.CKA_ALLOWED_MECHANISMS, new List<CKM> { CKM.CKM_AES_GCM }),
        };
        try
        {
            using var mechanism = _module.Factories.MechanismFactory.Create(CKM.CKM_AES_KEY_GEN);
            return session.GenerateKey(mechanism, template);
        }
        catch (Pkcs11Exception e)
        {
            throw new LmkUnavailableException($"Token '{_tokenLabel}' could not generate the AES-256 key '{label}': {e.RV}");
        }
        finally
        {
            DisposeAll(template);
        }
    }

    private void SetLabel(ISession session, IObjectHandle handle, string label)
    {
        var attributes = new List<IObjectAttribute> { _module.Factories.ObjectAttributeFactory.Create(CKA.CKA_LABEL, label) };
        try
        {
            session.SetAttributeValue(handle, attributes);
        }
        finally
        {
            DisposeAll(attributes);
        }
    }

    private SessionLease Rent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new SessionLease(this, _idle.TryTake(out var session) ? session : _slot.OpenSession(SessionType.ReadWrite));
    }

    private static void DisposeAll(List<IObjectAttribute> attributes)
    {
        foreach (var attribute in attributes)
        {
            attribute.Dispose();
        }
    }

    /// <summary>A pooled session, returned on dispose (closed instead when the provider is gone).</summary>
    private readonly struct SessionLease(Pkcs11LmkProvider owner, ISession session) : IDisposable
    {
        public ISession Session => session;

        public void Dispose()
        {
            if (owner._disposed)
            {
                session.Dispose();
            }
            else
            {
                owner._idle.Add(session);
            }
        }
    }
}

/// <summary>Security attributes of an LMK object in a token.</summary>
internal readonly record struct Pkcs11KeyFacts(
    string Label,
    bool Sensitive,
    bool Extractable,
    bool AlwaysSensitive,
    bool NeverExtractable,
    bool Token,
    int ValueLength);
