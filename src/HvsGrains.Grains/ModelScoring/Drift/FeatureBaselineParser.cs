using System.Globalization;
using System.Text.Json;

namespace HvsGrains.Grains.ModelScoring.Drift;

/// <summary>Reads and checks a model's <c>hvs.feature_baseline</c>; a malformed one refuses the model (the validator's words).</summary>
public static class FeatureBaselineParser
{
    private const double ProportionTolerance = 1e-6;

    /// <summary>The baseline, or null when the model carries none (drift watch then says so).</summary>
    /// <exception cref="ModelRejectedException">The baseline is there but not usable; the message says why.</exception>
    public static FeatureBaseline? Parse(string? json, IReadOnlyList<string> featureNames)
    {
        ArgumentNullException.ThrowIfNull(featureNames);
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        Document document;
        try
        {
            document = JsonSerializer.Deserialize<Document>(json, JsonOptions) ?? throw Refuse("it is null");
        }
        catch (JsonException exception)
        {
            throw new ModelRejectedException($"'{ModelMetadataKeys.FeatureBaseline}' is not the baseline JSON: {exception.Message}", exception);
        }

        if (document.Version != 1)
        {
            throw Refuse($"version {document.Version} is not 1");
        }

        var features = document.Features ?? throw Refuse("it has no 'features'");
        if (features.Count != featureNames.Count)
        {
            throw Refuse($"it has {features.Count} features; the model has {featureNames.Count}");
        }

        var bins = new FeatureBins[features.Count];
        for (var i = 0; i < features.Count; i++)
        {
            bins[i] = Check(features[i], featureNames[i], i);
        }

        return new FeatureBaseline(document.Rows, document.Source ?? "", bins);
    }

    private static FeatureBins Check(FeatureDocument feature, string expectedName, int index)
    {
        if (feature.Name != expectedName)
        {
            throw Refuse($"feature {index} is '{feature.Name}', the model's is '{expectedName}'");
        }

        var edges = feature.Edges ?? throw Refuse($"feature '{expectedName}' has no edges");
        var proportions = feature.Proportions ?? throw Refuse($"feature '{expectedName}' has no proportions");
        if (edges.Length is 0 or >= FeatureBaseline.MaxBins)
        {
            throw Refuse($"feature '{expectedName}' has {edges.Length} edges; 1 to {FeatureBaseline.MaxBins - 1} are allowed");
        }

        if (proportions.Length != edges.Length + 1)
        {
            throw Refuse($"feature '{expectedName}' has {proportions.Length} proportions for {edges.Length} edges (needs edges + 1)");
        }

        for (var j = 0; j < edges.Length; j++)
        {
            if (!double.IsFinite(edges[j]) || (j > 0 && edges[j] <= edges[j - 1]))
            {
                throw Refuse($"feature '{expectedName}': edges must be finite and strictly increasing (edge {j})");
            }
        }

        if (proportions.Any(p => !(p >= 0 && p <= 1)) || Math.Abs(proportions.Sum() - 1) > ProportionTolerance)
        {
            throw Refuse(string.Create(CultureInfo.InvariantCulture,
                $"feature '{expectedName}': proportions must lie in [0, 1] and sum to 1 (sum {proportions.Sum()})"));
        }

        return new FeatureBins(expectedName, edges, proportions);
    }

    private static ModelRejectedException Refuse(string reason) =>
        new($"'{ModelMetadataKeys.FeatureBaseline}' is malformed: {reason}. Write it with `python3 -m hvs_training baseline`.");

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = false };

    private sealed record Document(
        [property: System.Text.Json.Serialization.JsonPropertyName("version")] int Version,
        [property: System.Text.Json.Serialization.JsonPropertyName("rows")] int Rows,
        [property: System.Text.Json.Serialization.JsonPropertyName("source")] string? Source,
        [property: System.Text.Json.Serialization.JsonPropertyName("features")] List<FeatureDocument>? Features);

    private sealed record FeatureDocument(
        [property: System.Text.Json.Serialization.JsonPropertyName("name")] string? Name,
        [property: System.Text.Json.Serialization.JsonPropertyName("edges")] double[]? Edges,
        [property: System.Text.Json.Serialization.JsonPropertyName("proportions")] double[]? Proportions);
}
