using Microsoft.Extensions.Options;

namespace Ttp.Domain.KeyStore;

/// <summary>Validates <see cref="LmkOptions"/> at start-up (<c>ValidateOnStart</c>); each message names the bad key.</summary>
public sealed class LmkOptionsValidator : IValidateOptions<LmkOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, LmkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
