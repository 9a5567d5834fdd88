using Microsoft.AspNetCore.Components.Forms;
using Ttp.Domain;

namespace Ttp.Portal.Accreditation;

/// <summary>Reads an uploaded TSM client certificate (PEM or DER) from the browser, at most <see cref="MaxBytes"/>.</summary>
public static class CertificateFile
{
    /// <summary>A certificate, even PEM with a long chain of names, fits well within this.</summary>
    public const long MaxBytes = 64 * 1024;

    /// <summary>The file's bytes; throws <see cref="DomainInputException"/> when it is empty or too large.</summary>
    public static async Task<byte[]> ReadAsync(IBrowserFile file, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (file.Size == 0 || file.Size > MaxBytes)
        {
            throw new DomainInputException($"certificate: expected a PEM or DER file of at most {MaxBytes / 1024} KB");
        }

        await using var stream = file.OpenReadStream(MaxBytes, cancellationToken);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }
}
