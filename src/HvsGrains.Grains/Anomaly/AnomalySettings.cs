using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using HvsGrains.Grains.ModelScoring;

namespace HvsGrains.Grains.Anomaly;

/// <summary>
/// A model's anomaly score settings, from its "hvs.anomaly" metadata (written by src/training/hvs_training/anomaly.py):
/// readings at or above <paramref name="Threshold"/> look unlike the normal operation the forest was trained on.
/// </summary>
public sealed record AnomalySettings(
    [property: JsonPropertyName("threshold")] double Threshold,
    [property: JsonPropertyName("trees")] int Trees,
    [property: JsonPropertyName("max_samples")] int MaxSamples,
    [property: JsonPropertyName("trained_on")] string TrainedOn)
{
    public const string MetadataKey = ModelMetadataKeys.Anomaly;

    /// <summary>The settings of a model, or null when it has no anomaly score.</summary>
    /// <exception cref="ModelRejectedException">The metadata and the graph disagree, or the metadata is malformed.</exception>
    public static AnomalySettings? Of(IReadOnlyDictionary<string, string> metadata, IReadOnlyList<string> outputNames, string outputName)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(outputNames);
        var hasOutput = outputNames.Contains(outputName);
        if (!metadata.TryGetValue(MetadataKey, out var json))
        {
            return hasOutput
                ? throw new ModelRejectedException($"The model has an '{outputName}' output but no '{MetadataKey}' metadata: its threshold is unknown.")
                : null;
        }

        if (!hasOutput)
        {
            throw new ModelRejectedException($"The model's metadata has '{MetadataKey}' but the graph has no '{outputName}' output.");
        }

        return Parse(json);
    }

    /// <exception cref="ModelRejectedException">The JSON is not the contract's object or its values are out of range.</exception>
    public static AnomalySettings Parse(string json)
    {
        AnomalySettings? settings;
        try
        {
            settings = JsonSerializer.Deserialize<AnomalySettings>(json);
        }
        catch (JsonException exception)
        {
            throw new ModelRejectedException(
                $"'{MetadataKey}' is not a JSON object {{\"threshold\", \"trees\", \"max_samples\", \"trained_on\"}}: {exception.Message}", exception);
        }

        if (settings is null)
        {
            throw new ModelRejectedException($"'{MetadataKey}' is empty.");
        }

        // An Isolation Forest score is in (0, 1]; a threshold of 1 or more would never fire, 0.5 or less fires on most readings.
        if (!(settings.Threshold > 0.5 && settings.Threshold < 1))
        {
            throw new ModelRejectedException(string.Create(CultureInfo.InvariantCulture, $"'{MetadataKey}' threshold must be between 0.5 and 1 (exclusive); got {settings.Threshold}."));
        }

        if (settings.Trees < 1 || settings.MaxSamples < 2)
        {
            throw new ModelRejectedException($"'{MetadataKey}' needs trees ≥ 1 and max_samples ≥ 2; got {settings.Trees} and {settings.MaxSamples}.");
        }

        return string.IsNullOrWhiteSpace(settings.TrainedOn)
            ? throw new ModelRejectedException($"'{MetadataKey}' lacks 'trained_on': say which rows the forest learnt normal operation from.")
            : settings;
    }
}
