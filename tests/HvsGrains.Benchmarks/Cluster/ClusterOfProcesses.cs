using HvsGrains.Tests.Shared;

namespace HvsGrains.Benchmarks.Cluster;

/// <summary>Silo processes in cluster mode on one database of a PostgreSQL server, each with its own data folder and ports.</summary>
internal sealed class ClusterOfProcesses : IAsyncDisposable
{
    private readonly List<string> _folders;

    private ClusterOfProcesses(List<SiloProcess> silos, List<string> folders)
    {
        Silos = silos;
        _folders = folders;
        IngestClients = [.. silos.Select(s => s.Client(SiloProcess.IngestKey))];
        ReadClients = [.. silos.Select(s => s.Client(SiloProcess.ReadKey))];
    }

    public IReadOnlyList<SiloProcess> Silos { get; }

    public IReadOnlyList<HttpClient> IngestClients { get; }

    public IReadOnlyList<HttpClient> ReadClients { get; }

    public static async Task<ClusterOfProcesses> StartAsync(PostgresServer postgres, string name, int count)
    {
        await postgres.CreateDatabaseAsync(name);
        var settings = new Dictionary<string, string>
        {
            ["Hvs:Cluster:ConnectionString"] = postgres.ConnectionString(name),
            ["Hvs:Orleans:ClusterId"] = name,
            ["Hvs:Orleans:AdvertisedAddress"] = "127.0.0.1",
        };
        var folders = Enumerable.Range(0, count).Select(_ => Path.Combine(Path.GetTempPath(), "hvs-cluster-bench", Guid.NewGuid().ToString("N"))).ToList();
        var silos = folders.Select(folder => SiloProcess.Start(folder, settings)).ToList();
        foreach (var silo in silos)
        {
            if (!await silo.WaitReadyAsync())
            {
                throw new InvalidOperationException("a silo did not become ready: " + silo.RecentOutput);
            }
        }

        return new ClusterOfProcesses(silos, folders);
    }

    public ValueTask DisposeAsync()
    {
        foreach (var client in IngestClients.Concat(ReadClients))
        {
            client.Dispose();
        }

        foreach (var silo in Silos)
        {
            silo.Dispose();
        }

        foreach (var folder in _folders.Where(Directory.Exists))
        {
            Directory.Delete(folder, recursive: true);
        }

        return ValueTask.CompletedTask;
    }
}
