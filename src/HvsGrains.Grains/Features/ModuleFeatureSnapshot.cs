using System.Text.Json.Serialization;

namespace HvsGrains.Grains.Features;

/// <summary>
/// Everything <see cref="ModuleFeatureState"/> knows, as plain arrays that System.Text.Json
/// round-trips exactly (the window arrays packed as base64 of their bytes). A grain persists
/// it; after a crash, import + replay of later readings from the log equals uninterrupted processing.
/// Per-channel arrays are indexed by <c>SensorChannel</c>; window arrays are oldest first.
/// </summary>
public sealed record ModuleFeatureSnapshot
{
    public const int CurrentFormat = 1;

    public int Format { get; init; } = CurrentFormat;

    /// <summary>Feature schema hash at export; a snapshot from different feature code is refused.</summary>
    public required string SchemaHash { get; init; }

    public required string ModuleId { get; init; }

    /// <summary>UTC ticks of the newest applied reading; null before the first.</summary>
    public long? LastTicks { get; init; }

    public required float[] LastValues { get; init; }

    public int ObservedMask { get; init; }

    public required float[] SpikeReferences { get; init; }

    public required long[] SpikeReferenceTicks { get; init; }

    public required sbyte[] SpikeModes { get; init; }

    [JsonConverter(typeof(PackedArrayJsonConverter<long>))]
    public required long[] ShortTicks { get; init; }

    [JsonConverter(typeof(PackedArrayJsonConverter<float>))]
    public required float[] ShortValues { get; init; }

    [JsonConverter(typeof(PackedArrayJsonConverter<long>))]
    public required long[] BucketIndexes { get; init; }

    [JsonConverter(typeof(PackedArrayJsonConverter<int>))]
    public required int[] BucketCounts { get; init; }

    [JsonConverter(typeof(PackedArrayJsonConverter<double>))]
    public required double[] BucketMeans { get; init; }

    [JsonConverter(typeof(PackedArrayJsonConverter<double>))]
    public required double[] BucketM2s { get; init; }

    public FeatureCounters Counters { get; init; }

    /// <summary>The last feature vector, so the state answers queries right after import.</summary>
    public float[]? LastFeatures { get; init; }

    public int LastImputedMask { get; init; }
}
