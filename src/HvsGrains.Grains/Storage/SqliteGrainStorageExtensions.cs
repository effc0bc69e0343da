using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Providers;
using Orleans.Serialization;
using Orleans.Storage;

namespace HvsGrains.Grains.Storage;

/// <summary>Silo setup for grain state in one SQLite file through Orleans' ADO.NET provider.</summary>
public static class SqliteGrainStorageExtensions
{
    /// <summary>The ADO.NET invariant Orleans maps to Microsoft.Data.Sqlite.</summary>
    public const string SqliteInvariant = "System.Data.SQLite";

    /// <summary>The ADO.NET provider's own name; grains use the default provider, which writes through it one at a time.</summary>
    public const string SqliteProviderName = "sqlite";

    /// <summary>
    /// Makes <paramref name="databasePath"/> the default grain storage. The schema is ensured by a
    /// silo lifecycle step that runs before the provider loads its queries, so building the host
    /// touches no file and a refused schema fails the silo start with the reason.
    /// </summary>
    public static ISiloBuilder AddSqliteGrainStorage(this ISiloBuilder builder, string databasePath)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        var connectionString = SqliteGrainStateSchema.ConnectionString(databasePath);

        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(new SchemaStep(connectionString));
        // The default provider, by name and unnamed, as AddAdoNetGrainStorageAsDefault would register it.
        builder.Services.AddKeyedSingleton<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, (services, _) =>
            new OneWriterGrainStorage(services.GetRequiredKeyedService<IGrainStorage>(SqliteProviderName)));
        builder.Services.AddSingleton(services => services.GetRequiredKeyedService<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME));
        return builder.AddAdoNetGrainStorage(SqliteProviderName, options => options.Configure<Serializer>((o, serializer) =>
        {
            o.Invariant = SqliteInvariant;
            o.ConnectionString = connectionString;
            // Orleans' binary codec: stored types carry [GenerateSerializer]/[Id], so fields can be added later.
            o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
            // The stored queries key rows on these hashes; see GrainIdentityHashPicker for why.
            o.HashPicker = new GrainIdentityHashPicker();
        }));
    }

    private sealed class SchemaStep(string connectionString) : ILifecycleParticipant<ISiloLifecycle>
    {
        // One stage before the provider's Init (ApplicationServices), which reads OrleansQuery.
        private const int Stage = AdoNetGrainStorageOptions.DEFAULT_INIT_STAGE - 1;

        public void Participate(ISiloLifecycle lifecycle) =>
            lifecycle.Subscribe(nameof(SqliteGrainStateSchema), Stage, ct => SqliteGrainStateSchema.EnsureCreatedAsync(connectionString, ct));
    }
}
