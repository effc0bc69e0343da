using Microsoft.Extensions.Options;

namespace HvsGrains.Grains.Forecasting;

/// <summary>Refuses to start with forecast settings that make no sense, naming each problem.</summary>
public sealed class ForecastOptionsValidator : IValidateOptions<ForecastOptions>
{
    public ValidateOptionsResult Validate(string? name, ForecastOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
