namespace HvsGrains.Grains.Features;

/// <summary>
/// Count, and per channel the mean and sum of squared deviations (M2), of the samples in a window:
/// where the window sweeps write their results. One count, as every sample holds all channels.
/// </summary>
internal ref struct ChannelMoments(Span<double> means, Span<double> m2s)
{
    public readonly Span<double> Means = means;
    public readonly Span<double> M2s = m2s;

    public long Count { get; private set; }

    public readonly double PopulationStd(int channel) => Count == 0 ? 0 : Math.Sqrt(Math.Max(0, M2s[channel] / Count));

    public void Set(long count, ChannelLanes means, ChannelLanes m2s)
    {
        Count = count;
        means.Store(Means);
        m2s.Store(M2s);
    }
}
