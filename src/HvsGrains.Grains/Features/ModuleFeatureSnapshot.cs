using System.Text.Json.Serialization;

namespace HvsGrains.Grains.Features;

/// <summary>
/// Everything <see cref="ModuleFeatureState"/> knows, as plain arrays that System.Text.Json
/// round-trips exactly (the window arrays packed as base64 of their bytes). A grain persists
/// it; after a crash, import + replay of later readings from the log equals uninterrupted processing.
/// Per-channel arrays are indexed by <c>SensorChannel</c>; window arrays are oldest first.
/// </summary>
[GenerateSerializer, Immutable, Alias("hvs.module-feature-snapshot")]
public sealed record ModuleFeatureSnapshot
{
    /// <summary>2: bucket M2s as float (format 1 stored doubles; such a snapshot is refused and the module rebuilt from the log).</summary>
    public const int CurrentFormat = 2;

    [Id(0)]
    public int Format { get; init; } = CurrentFormat;

    /// <summary>Feature schema hash at export; a snapshot from different feature code is refused.</summary>
    [Id(1)]
    public required string SchemaHash { get; init; }

    [Id(2)]
    public required string ModuleId { get; init; }

    /// <summary>UTC ticks of the newest applied reading; null before the first.</summary>
    [Id(3)]
    public long? LastTicks { get; init; }

    [Id(4)]
    public required float[] LastValues { get; init; }

    [Id(5)]
    public int ObservedMask { get; init; }

    [Id(6)]
    public required float[] SpikeReferences { get; init; }

    [Id(7)]
    public required long[] SpikeReferenceTicks { get; init; }

    [Id(8)]
    public required sbyte[] SpikeModes { get; init; }

    [JsonConverter(typeof(PackedArrayJsonConverter<long>))]
    [Id(9)]
    public required long[] ShortTicks { get; init; }

    [JsonConverter(typeof(PackedArrayJsonConverter<float>))]
    [Id(10)]
    public required float[] ShortValues { get; init; }

    [JsonConverter(typeof(PackedArrayJsonConverter<long>))]
    [Id(11)]
    public required long[] BucketIndexes { get; init; }

    [JsonConverter(typeof(PackedArrayJsonConverter<int>))]
    [Id(12)]
    public required int[] BucketCounts { get; init; }

    [JsonConverter(typeof(PackedArrayJsonConverter<double>))]
    [Id(13)]
    public required double[] BucketMeans { get; init; }

    // Id 14 held format 1's double M2s; not reused, so an old snapshot cannot be misread.
    [JsonConverter(typeof(PackedArrayJsonConverter<float>))]
    [Id(18)]
    public required float[] BucketM2s { get; init; }

    [Id(15)]
    public FeatureCounters Counters { get; init; }

    /// <summary>The last feature vector, so the state answers queries right after import.</summary>
    [Id(16)]
    public float[]? LastFeatures { get; init; }

    [Id(17)]
    public int LastImputedMask { get; init; }

    /// <summary>UTC ticks of the first reading of the current unbroken run (see <see cref="ModuleFeatureState.WindowsFull"/>);
    /// null in snapshots written before it existed, when the run starts again at <see cref="LastTicks"/>.</summary>
    [Id(19)]
    public long? RunStartTicks { get; init; }
}
