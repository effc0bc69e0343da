using System.Threading.Channels;
using HvsGrains.Grains.Readings;

namespace HvsGrains.Grains.ReadingLog;

/// <summary>An append waiting for a log's writer thread: its readings, and the caller's answer once the group committed.</summary>
internal sealed class PendingAppend(IReadOnlyList<SensorReading> readings)
{
    public IReadOnlyList<SensorReading> Readings { get; } = readings;

    public TaskCompletionSource<long[]> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Moves waiting appends into <paramref name="group"/> (cleared first) up to about <paramref name="maxRows"/> readings; returns their count.</summary>
    public static int TakeGroup(ChannelReader<PendingAppend> queue, List<PendingAppend> group, int maxRows)
    {
        group.Clear();
        var rows = 0;
        while (rows < maxRows && queue.TryRead(out var pending))
        {
            group.Add(pending);
            rows += pending.Readings.Count;
        }

        return rows;
    }
}
