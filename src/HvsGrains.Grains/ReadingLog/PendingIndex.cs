namespace HvsGrains.Grains.ReadingLog;

/// <summary>
/// Readings logged but not yet in the (module, time) index, by module. The index is filled in
/// module-sorted slices instead of one row per commit: row by row, every commit rewrote one index
/// page per module (3.4 KB of WAL per reading). Written by the log's writer only; read by queries.
/// </summary>
internal sealed class PendingIndex
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<long, ModuleEntries> _modules = [];

    /// <summary>Entries waiting, over all modules.</summary>
    public int Count { get; private set; }

    public bool Contains(long module, long ticks)
    {
        lock (_lock)
        {
            return _modules.TryGetValue(module, out var entries) && entries.Contains(ticks);
        }
    }

    public void Add(long module, long ticks, long sequence)
    {
        lock (_lock)
        {
            if (!_modules.TryGetValue(module, out var entries))
            {
                _modules[module] = entries = new ModuleEntries();
            }

            entries.Add(ticks, sequence);
            Count++;
        }
    }

    /// <summary>Sequences of a module's waiting readings, oldest first (queries merge them with the index).</summary>
    public long[] SequencesOf(long module)
    {
        lock (_lock)
        {
            return _modules.TryGetValue(module, out var entries) ? entries.Sequences() : [];
        }
    }

    /// <summary>
    /// The next slice to index: whole modules from <paramref name="fromModule"/> on, in key order, until about
    /// <paramref name="entries"/> entries. Each module's entries are sorted by time.
    /// </summary>
    public List<(long Module, (long Ticks, long Sequence)[] Entries)> TakeSlice(long fromModule, int entries)
    {
        lock (_lock)
        {
            var slice = new List<(long, (long, long)[])>();
            var taken = 0;
            foreach (var (module, moduleEntries) in _modules)
            {
                if (module < fromModule)
                {
                    continue;
                }

                slice.Add((module, moduleEntries.Sorted()));
                taken += moduleEntries.Count;
                if (taken >= entries)
                {
                    break;
                }
            }

            return slice;
        }
    }

    /// <summary>Forgets what a committed slice put in the index (entries added since stay).</summary>
    public void Indexed(List<(long Module, (long Ticks, long Sequence)[] Entries)> slice)
    {
        lock (_lock)
        {
            foreach (var (module, entries) in slice)
            {
                if (_modules.TryGetValue(module, out var waiting))
                {
                    Count -= waiting.Remove(entries.Length);
                    if (waiting.Count == 0)
                    {
                        _modules.Remove(module);
                    }
                }
            }
        }
    }

    /// <summary>The oldest sequence waiting outside <paramref name="slice"/>, or null: a restart re-reads the log from there.</summary>
    public long? OldestSequenceExcept(List<(long Module, (long Ticks, long Sequence)[] Entries)> slice)
    {
        var sliced = slice.Select(s => s.Module).ToHashSet();
        lock (_lock)
        {
            long? oldest = null;
            foreach (var (module, entries) in _modules)
            {
                if (!sliced.Contains(module))
                {
                    oldest = oldest is { } o ? Math.Min(o, entries.FirstSequence) : entries.FirstSequence;
                }
            }

            return oldest;
        }
    }

    /// <summary>A module's waiting entries in arrival (sequence) order.</summary>
    private sealed class ModuleEntries
    {
        private readonly List<(long Ticks, long Sequence)> _entries = [];
        private long _maxTicks = long.MinValue;

        public int Count => _entries.Count;

        public long FirstSequence => _entries[0].Sequence;

        public void Add(long ticks, long sequence)
        {
            _entries.Add((ticks, sequence));
            _maxTicks = Math.Max(_maxTicks, ticks);
        }

        public bool Contains(long ticks)
        {
            if (ticks > _maxTicks)
            {
                return false; // the common case: readings arrive in time order
            }

            foreach (var entry in _entries)
            {
                if (entry.Ticks == ticks)
                {
                    return true;
                }
            }

            return false;
        }

        public long[] Sequences() => [.. _entries.Select(e => e.Sequence)];

        public (long Ticks, long Sequence)[] Sorted()
        {
            var sorted = _entries.ToArray();
            Array.Sort(sorted, static (a, b) => a.Ticks.CompareTo(b.Ticks));
            return sorted;
        }

        /// <summary>Removes the oldest <paramref name="count"/> entries (those a slice took); returns how many.</summary>
        public int Remove(int count)
        {
            count = Math.Min(count, _entries.Count);
            _entries.RemoveRange(0, count);
            _maxTicks = long.MinValue;
            foreach (var entry in _entries)
            {
                _maxTicks = Math.Max(_maxTicks, entry.Ticks);
            }

            return count;
        }
    }
}
