namespace HvsGrains.Runtime.Tests.Grains;

public sealed record Measurement(string Sensor, double Value, DateTimeOffset At);

public interface ICounterGrain : IGrainWithStringKey
{
    Task<int> Increment();

    /// <summary>Increments across awaits, recording how many calls were ever inside at once.</summary>
    Task<int> IncrementSlowly();

    Task<int> GetCount();

    Task<int> GetMaxConcurrency();

    [OneWay]
    Task Add(int amount);

    /// <summary>Holds its turn until the test opens the gate.</summary>
    [OneWay]
    ValueTask WaitAtGate();

    Task Fail(string message);

    ValueTask<Measurement> Record(Measurement measurement, int[] extra);

    Task Deactivate();
}
