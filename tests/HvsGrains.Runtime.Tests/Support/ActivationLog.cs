using System.Collections.Concurrent;

namespace HvsGrains.Runtime.Tests.Support;

/// <summary>What the test grains saw happen to them, per grain key.</summary>
public sealed class ActivationLog
{
    public ConcurrentDictionary<string, int> Constructed { get; } = new();

    public ConcurrentDictionary<string, int> Activated { get; } = new();

    public ConcurrentDictionary<string, int> Deactivated { get; } = new();

    public ConcurrentDictionary<string, int> Ticks { get; } = new();

    public ConcurrentQueue<DeactivationReason> Reasons { get; } = new();

    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static void Bump(ConcurrentDictionary<string, int> counts, string key) => counts.AddOrUpdate(key, 1, (_, n) => n + 1);

    public static int Count(ConcurrentDictionary<string, int> counts, string key) => counts.GetValueOrDefault(key);
}
