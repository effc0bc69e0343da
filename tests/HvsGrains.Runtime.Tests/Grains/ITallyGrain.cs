namespace HvsGrains.Runtime.Tests.Grains;

/// <summary>A grain with persistent state, written on demand and at deactivation.</summary>
public interface ITallyGrain : IGrainWithStringKey
{
    Task Add(int amount);

    Task<int> Get();

    Task Save();

    Task<string?> GetEtag();

    Task Clear();
}

public sealed class TallyState
{
    public int Total { get; set; }

    public List<string> History { get; set; } = [];
}
