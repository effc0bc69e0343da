using Microsoft.Extensions.Options;

namespace HvsGrains.Grains.Hazard;

/// <summary>Refuses to start with inconsistent safety thresholds, naming each problem.</summary>
public sealed class HazardRuleOptionsValidator : IValidateOptions<HazardRuleOptions>
{
    public ValidateOptionsResult Validate(string? name, HazardRuleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
