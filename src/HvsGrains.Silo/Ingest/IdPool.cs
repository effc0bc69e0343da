using System.Collections.Concurrent;

namespace HvsGrains.Silo.Ingest;

/// <summary>
/// One string per module or rack id: a feed repeats the same few thousand ids in every batch, and a
/// module grain keeps its latest reading, so sharing saves an allocation per id read and memory per grain.
/// Bounded, so a stream of made-up ids cannot grow it without end.
/// </summary>
internal sealed class IdPool(int capacity = 200_000)
{
    private readonly ConcurrentDictionary<string, string> _ids = new(StringComparer.Ordinal);

    public int Count => _ids.Count;

    public string Get(ReadOnlySpan<char> id)
    {
        if (_ids.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(id, out var shared))
        {
            return shared;
        }

        var text = id.ToString();
        return _ids.Count < capacity ? _ids.GetOrAdd(text, text) : text;
    }
}
