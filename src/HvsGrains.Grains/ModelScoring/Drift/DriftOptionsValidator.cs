using Microsoft.Extensions.Options;

namespace HvsGrains.Grains.ModelScoring.Drift;

/// <summary>Refuses drift settings that could not give a meaningful verdict, naming the key.</summary>
public sealed class DriftOptionsValidator : IValidateOptions<DriftOptions>
{
    public ValidateOptionsResult Validate(string? name, DriftOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var key = DriftOptions.SectionName;
        if (options.BucketsPerWindow is < 1 or > 1440)
        {
            failures.Add($"{key}:BucketsPerWindow must be 1 to 1440 (got {options.BucketsPerWindow}).");
        }

        if (options.ShortWindow < TimeSpan.FromMinutes(1))
        {
            failures.Add($"{key}:ShortWindow must be at least 1 minute (got {options.ShortWindow}).");
        }

        if (options.LongWindow <= options.ShortWindow || options.LongWindow > TimeSpan.FromDays(31))
        {
            failures.Add($"{key}:LongWindow must be longer than ShortWindow ({options.ShortWindow}) and at most 31 days (got {options.LongWindow}).");
        }

        if (options.ReportInterval < TimeSpan.FromSeconds(1) || options.ReportInterval > TimeSpan.FromMinutes(10))
        {
            failures.Add($"{key}:ReportInterval must be 1 s to 10 min (got {options.ReportInterval}).");
        }

        if (options.MinReadings < 1)
        {
            failures.Add($"{key}:MinReadings must be at least 1 (got {options.MinReadings}).");
        }

        if (!(options.PsiModerate > 0 && options.PsiModerate <= options.PsiDrifted && double.IsFinite(options.PsiDrifted)))
        {
            failures.Add($"{key}:PsiModerate and {key}:PsiDrifted must satisfy 0 < PsiModerate ≤ PsiDrifted (got {options.PsiModerate}, {options.PsiDrifted}).");
        }

        if (!(options.KsModerate > 0 && options.KsModerate <= options.KsDrifted && options.KsDrifted < 1))
        {
            failures.Add($"{key}:KsModerate and {key}:KsDrifted must satisfy 0 < KsModerate ≤ KsDrifted < 1 (got {options.KsModerate}, {options.KsDrifted}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
