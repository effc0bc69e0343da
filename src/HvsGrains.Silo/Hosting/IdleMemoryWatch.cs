namespace HvsGrains.Silo.Hosting;

/// <summary>
/// Decides when memory kept after a burst is given back: the silo has allocated slowly for a while, and holds
/// markedly more committed memory than after the last release (its working size).
/// </summary>
public sealed class IdleMemoryWatch(IdleMemoryOptions options)
{
    private DateTimeOffset? _lastAt;
    private long _lastAllocated;
    private DateTimeOffset _quietSince;
    private long _workingSize;

    /// <summary>Committed bytes right after the last release (0 before the first).</summary>
    public long WorkingSize => _workingSize;

    /// <summary>Takes one observation; true when memory should be given back now.</summary>
    public bool Observe(DateTimeOffset now, long totalAllocatedBytes, long committedBytes)
    {
        if (_lastAt is not { } lastAt)
        {
            _quietSince = now;
        }
        else
        {
            var seconds = Math.Max((now - lastAt).TotalSeconds, 0.001);
            if ((totalAllocatedBytes - _lastAllocated) / seconds > options.IdleAllocationBytesPerSecond)
            {
                _quietSince = now;
            }
        }

        _lastAt = now;
        _lastAllocated = totalAllocatedBytes;
        return now - _quietSince >= options.IdleAfter && committedBytes - _workingSize > options.ReleasableBytes;
    }

    /// <summary>Records what was left committed after a release: the working size the next burst is measured against.</summary>
    public void Released(long committedBytes) => _workingSize = committedBytes;
}
