using Microsoft.Extensions.Logging;

namespace Ttp.Domain.KeyStore;

/// <summary>Creates the configured <see cref="ILmkProvider"/>: one per process, disposed at shutdown.</summary>
public static class LmkProviderFactory
{
    /// <summary>Validates <paramref name="options"/> and opens the LMK.</summary>
    /// <param name="options">Section <c>Ttp:Lmk</c>.</param>
    /// <param name="dataDirectory">The absolute <c>Ttp:DataDirectory</c>, where the file LMK goes by default.</param>
    /// <param name="loggerFactory">For the providers' log lines (ids and paths, never key material).</param>
    /// <exception cref="LmkUnavailableException">Bad configuration (the message names the key), a key file that group or
    /// others may access, a token, PIN or key that is not usable.</exception>
    public static ILmkProvider Create(LmkOptions options, string dataDirectory, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new LmkUnavailableException(string.Join("; ", errors));
        }

        return options.Provider switch
        {
            LmkProviderKind.File => new FileLmkProvider(
                options.ResolveFilePath(dataDirectory),
                loggerFactory?.CreateLogger(typeof(FileLmkProvider).FullName!)),
            LmkProviderKind.Pkcs11 => new Pkcs11LmkProvider(
                options.Pkcs11,
                loggerFactory?.CreateLogger(typeof(Pkcs11LmkProvider).FullName!)),
            _ => throw new LmkUnavailableException($"{LmkOptions.Section}:Provider: expected File or Pkcs11, found {(int)options.Provider}"),
        };
    }
}
