using HvsGrains.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;

namespace HvsGrains.Grains.Cluster;

/// <summary>Silo setup of the cluster mode: membership and grain state in one PostgreSQL database through Orleans' ADO.NET providers.</summary>
public static class PostgreSqlClusterExtensions
{
    /// <summary>The ADO.NET invariant Orleans maps to Npgsql.</summary>
    public const string PostgreSqlInvariant = "Npgsql";

    /// <summary>
    /// Uses the PostgreSQL database at <paramref name="connectionString"/> for cluster membership and as the default
    /// grain storage. The schema (Cluster/Sql) is brought up to date by a silo lifecycle step that runs before
    /// membership and the storage provider read their stored queries, so `hvs setup` beforehand is optional.
    /// </summary>
    public static ISiloBuilder UsePostgreSqlCluster(this ISiloBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(new SchemaStep(connectionString));
        builder.UseAdoNetClustering(options =>
        {
            options.Invariant = PostgreSqlInvariant;
            options.ConnectionString = connectionString;
        });
        // Unlike the SQLite file, PostgreSQL takes concurrent writers: no OneWriterGrainStorage in front.
        return builder.AddAdoNetGrainStorageAsDefault((OptionsBuilder<AdoNetGrainStorageOptions> options) => options.Configure<Serializer>((o, serializer) =>
        {
            o.Invariant = PostgreSqlInvariant;
            o.ConnectionString = connectionString;
            // As in the embedded default: Orleans' binary codec, and rows keyed on hashes of the full grain id.
            o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
            o.HashPicker = new GrainIdentityHashPicker();
        }));
    }

    private sealed class SchemaStep(string connectionString) : ILifecycleParticipant<ISiloLifecycle>
    {
        // Before membership starts (RuntimeGrainServices), which reads OrleansQuery, and so before grain storage too.
        private const int Stage = ServiceLifecycleStage.RuntimeInitialize - 1;

        public void Participate(ISiloLifecycle lifecycle) =>
            lifecycle.Subscribe(nameof(PostgreSqlSchema), Stage, ct => PostgreSqlSchema.EnsureCreatedAsync(connectionString, ct));
    }
}
