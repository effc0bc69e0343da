using HvsGrains.Grains.ReadingLog;
using HvsGrains.Grains.Readings;

namespace HvsGrains.Grains.Tests.ReadingLog;

/// <summary>What a log told its commit listener, in the order it told it.</summary>
internal sealed class RecordingCommitListener : IReadingCommitListener
{
    private readonly List<(IReadOnlyList<SensorReading> Readings, long[] Sequences)> _calls = [];

    public List<(IReadOnlyList<SensorReading> Readings, long[] Sequences)> Calls
    {
        get
        {
            lock (_calls)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>Every sequence reported as logged (not the 0s of duplicates).</summary>
    public HashSet<long> Logged => [.. Calls.SelectMany(c => c.Sequences).Where(s => s != 0)];

    public void Committed(IReadOnlyList<SensorReading> readings, long[] sequences)
    {
        lock (_calls)
        {
            _calls.Add((readings, sequences));
        }
    }
}
