using System.Reflection;
using System.Runtime.InteropServices;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace Ttp.Domain.KeyStore;

/// <summary>
/// One loaded PKCS#11 module per library path and process, shared by reference count: a module may be initialised
/// (<c>C_Initialize</c>) only once per process, and <c>C_Finalize</c> must wait for its last user.
/// Also maps Pkcs11Interop's <c>libdl</c> import to <c>libdl.so.2</c>, the only name Debian ships without the -dev package
/// (docs/STACK.md, SoftHSM2 + Pkcs11Interop).
/// </summary>
internal sealed class Pkcs11Module : IDisposable
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, Pkcs11Module> Loaded = new(StringComparer.Ordinal);
    private static bool _resolverInstalled;

    private int _references;

    private Pkcs11Module(string libraryPath, Pkcs11InteropFactories factories, IPkcs11Library library)
    {
        LibraryPath = libraryPath;
        Factories = factories;
        Library = library;
    }

    public string LibraryPath { get; }

    public Pkcs11InteropFactories Factories { get; }

    public IPkcs11Library Library { get; }

    /// <summary>Loads (or shares) the module at <paramref name="libraryPath"/>; dispose once per call.</summary>
    /// <exception cref="LmkUnavailableException">The module does not load or initialise.</exception>
    public static Pkcs11Module Acquire(string libraryPath)
    {
        var path = Path.GetFullPath(libraryPath);
        lock (Gate)
        {
            InstallLibdlResolver();
            if (!Loaded.TryGetValue(path, out var module))
            {
                var factories = new Pkcs11InteropFactories();
                IPkcs11Library library;
                try
                {
                    library = factories.Pkcs11LibraryFactory.LoadPkcs11Library(factories, path, AppType.MultiThreaded);
                }
                catch (Exception e) when (e is Pkcs11Exception or UnmanagedException or DllNotFoundException or LibraryArchitectureException or EntryPointNotFoundException)
                {
                    throw new LmkUnavailableException($"{LmkOptions.Section}:Pkcs11:LibraryPath: the PKCS#11 module {path} did not load: {e.Message}");
                }

                module = new Pkcs11Module(path, factories, library);
                Loaded.Add(path, module);
            }

            module._references++;
            return module;
        }
    }

    /// <summary>Releases this user's share; the last one finalises and unloads the module.</summary>
    public void Dispose()
    {
        lock (Gate)
        {
            if (_references == 0)
            {
                return;
            }

            _references--;
            if (_references == 0)
            {
                Loaded.Remove(LibraryPath);
                Library.Dispose();
            }
        }
    }

    private static void InstallLibdlResolver()
    {
        if (_resolverInstalled)
        {
            return;
        }

        _resolverInstalled = true;
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(Pkcs11InteropFactories).Assembly, ResolveLibdl);
        }
        catch (InvalidOperationException)
        {
            // The host set a resolver for Pkcs11Interop already; it owns the mapping.
        }
    }

    private static IntPtr ResolveLibdl(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == "libdl" && OperatingSystem.IsLinux() && NativeLibrary.TryLoad("libdl.so.2", out var handle)
            ? handle
            : IntPtr.Zero;
}
