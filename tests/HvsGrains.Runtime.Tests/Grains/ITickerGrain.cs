namespace HvsGrains.Runtime.Tests.Grains;

/// <summary>A grain with a timer whose ticks must run as turns.</summary>
public interface ITickerGrain : IGrainWithStringKey
{
    Task Start(TimeSpan period);

    Task<int> GetTicks();

    Task<int> GetMaxConcurrency();

    Task Busy();
}
