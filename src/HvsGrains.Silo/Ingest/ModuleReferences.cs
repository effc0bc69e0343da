using System.Collections.Concurrent;
using HvsGrains.Grains.Modules;
using HvsGrains.Grains.Racks;

namespace HvsGrains.Silo.Ingest;

/// <summary>
/// One grain reference per module id: Orleans builds a new reference on every GetGrain, which cost
/// about a tenth of the front door's time per reading. Bounded like the id pool, so made-up ids cannot
/// grow it without end (past the bound a reference is built per call, as Orleans does).
/// </summary>
public sealed class ModuleReferences(IGrainFactory grains, int capacity = 200_000)
{
    private readonly ConcurrentDictionary<string, IModuleGrain> _references = new(StringComparer.Ordinal);

    public IModuleGrain Get(string moduleId)
    {
        if (_references.TryGetValue(moduleId, out var reference))
        {
            return reference;
        }

        reference = grains.GetGrain<IModuleGrain>(moduleId);
        return _references.Count < capacity ? _references.GetOrAdd(moduleId, reference) : reference;
    }

    /// <summary>The rack a rack's own reading goes to (one per rack and sample: not worth a cache).</summary>
    public IRackGrain Rack(string rackId) => grains.GetGrain<IRackGrain>(rackId);
}
