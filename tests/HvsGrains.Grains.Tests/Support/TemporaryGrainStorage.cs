using Orleans.Serialization;
using Orleans.Storage;

namespace HvsGrains.Grains.Tests.Support;

/// <summary>
/// TEMPORARY stand-in until HvsGrains.Grains.Storage.AddSqliteGrainStorage lands on main: Orleans'
/// memory storage under the final name, so the fixtures already call the real API. Memory state
/// does not survive a silo restart; tests that need that are skipped with <see cref="NeedsSqliteStorage"/>.
/// Delete this file (and the skips) when the real extension is merged.
/// </summary>
internal static class TemporaryGrainStorage
{
    public const string NeedsSqliteStorage = "Needs AddSqliteGrainStorage (not on main yet): memory storage forgets state when its silo stops.";

    public static ISiloBuilder AddSqliteGrainStorage(this ISiloBuilder silo, string databasePath)
    {
        _ = databasePath;
        // Orleans' binary codec as the real provider uses: the memory provider's default (Newtonsoft)
        // fills ModuleState's default HazardMemory.Initial in place, and the next new module starts Critical.
        return silo.AddMemoryGrainStorageAsDefault(options => options.Configure<Serializer>((o, serializer) => o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer)));
    }
}
