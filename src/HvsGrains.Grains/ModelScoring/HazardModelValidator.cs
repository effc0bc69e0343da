using System.Globalization;
using System.Text.Json;
using HvsGrains.Grains.Anomaly;
using HvsGrains.Grains.Features;
using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.ModelScoring.Drift;
using HvsGrains.Grains.ModelScoring.Onnx;

namespace HvsGrains.Grains.ModelScoring;

/// <summary>
/// Checks a loaded model against this silo's feature code: same ordered feature names and schema
/// hash, a sane input width, usable thresholds. A model trained on other features is refused.
/// </summary>
public static class HazardModelValidator
{
    public static HazardModelInfo Validate(OnnxHazardModelSession session, string source, string sha256, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(session);
        var custom = session.Metadata.CustomMetadataMap;
        var schema = FeatureSchema.Current;
        var names = ParseNames(Required(custom, ModelMetadataKeys.FeatureNames));
        if (!schema.Matches(names))
        {
            throw new ModelRejectedException(DescribeMismatch(schema.Names, names));
        }

        var hash = Required(custom, ModelMetadataKeys.FeatureSchemaHash);
        if (!string.Equals(hash, schema.Hash, StringComparison.OrdinalIgnoreCase))
        {
            throw new ModelRejectedException($"The model's feature schema hash {hash} is not this silo's {schema.Hash}.");
        }

        if (session.FeatureCount != schema.Count)
        {
            throw new ModelRejectedException($"The model takes {session.FeatureCount} inputs; this silo's feature code makes {schema.Count}.");
        }

        return new HazardModelInfo(
            Required(custom, ModelMetadataKeys.ModelVersion),
            source,
            sha256,
            ParseThresholds(Required(custom, ModelMetadataKeys.Thresholds)),
            custom.GetValueOrDefault(ModelMetadataKeys.FeatureSchemaVersion) ?? schema.Version,
            hash,
            custom.GetValueOrDefault(ModelMetadataKeys.TrainingDataHash),
            custom.GetValueOrDefault(ModelMetadataKeys.TrainedAt),
            custom.GetValueOrDefault(ModelMetadataKeys.Metrics),
            now,
            AnomalySettings.Of(custom, session.OutputNames, OnnxHazardModelSession.AnomalyScoreOutputName),
            FeatureBaselineParser.Parse(custom.GetValueOrDefault(ModelMetadataKeys.FeatureBaseline), names));
    }

    private static string Required(IReadOnlyDictionary<string, string> custom, string key) =>
        custom.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value)
            ? value
            : throw new ModelRejectedException($"The model's metadata lacks '{key}'; export it with src/training.");

    private static List<string> ParseNames(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<List<string>>(json) ?? throw new ModelRejectedException($"'{ModelMetadataKeys.FeatureNames}' is empty.");
        }
        catch (JsonException exception)
        {
            throw new ModelRejectedException($"'{ModelMetadataKeys.FeatureNames}' is not a JSON array of names: {exception.Message}", exception);
        }
    }

    private static ModelThresholds ParseThresholds(string json)
    {
        Dictionary<string, double>? values;
        try
        {
            values = JsonSerializer.Deserialize<Dictionary<string, double>>(json);
        }
        catch (JsonException exception)
        {
            throw new ModelRejectedException($"'{ModelMetadataKeys.Thresholds}' is not a JSON object of probabilities: {exception.Message}", exception);
        }

        double Get(string level) => values is not null && values.TryGetValue(level, out var p)
            ? p
            : throw new ModelRejectedException($"'{ModelMetadataKeys.Thresholds}' lacks '{level}'.");
        var thresholds = new ModelThresholds(Get("watch"), Get("warning"), Get("critical"));
        if (!(thresholds.Watch > 0 && thresholds.Watch <= thresholds.Warning && thresholds.Warning <= thresholds.Critical && thresholds.Critical <= 1))
        {
            throw new ModelRejectedException(string.Create(CultureInfo.InvariantCulture,
                $"Thresholds must satisfy 0 < watch ≤ warning ≤ critical ≤ 1; got {thresholds.Watch}, {thresholds.Warning}, {thresholds.Critical}."));
        }

        return thresholds;
    }

    private static string DescribeMismatch(IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        for (var i = 0; i < Math.Min(expected.Count, actual.Count); i++)
        {
            if (expected[i] != actual[i])
            {
                return $"The model's features differ from this silo's at position {i}: model '{actual[i]}', silo '{expected[i]}'.";
            }
        }

        return $"The model has {actual.Count} features; this silo's feature code makes {expected.Count}.";
    }
}
