using System.Diagnostics;
using System.Globalization;

namespace HvsGrains.Tests.Shared;

/// <summary>
/// A real PostgreSQL server of its own for a test run: Debian's initdb into a temporary folder, its own loopback
/// port, trust authentication for one user, stopped and deleted on dispose. PostgreSQL refuses to run as root, so
/// under root the server runs as the package's "postgres" user. <see cref="StopAsync"/> and <see cref="StartAsync"/> let a
/// test take the database away for a while (Stop is an immediate shutdown, as close to a crash as pg_ctl gives).
/// </summary>
public sealed class PostgresServer : IAsyncDisposable, IDisposable
{
    public const string User = "hvs";
    private readonly string _folder;
    private readonly string _binaries;
    private readonly bool _asPostgresUser;

    private PostgresServer(string folder, string binaries, int port, bool asPostgresUser)
    {
        _folder = folder;
        _binaries = binaries;
        Port = port;
        _asPostgresUser = asPostgresUser;
    }

    public int Port { get; }

    /// <summary>The data directory (under the temporary folder).</summary>
    public string DataDirectory => Path.Combine(_folder, "data");

    /// <summary>A connection string to <paramref name="database"/> (create it first with <see cref="CreateDatabaseAsync"/>).</summary>
    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Username={User};Database={database};Pooling=true;Timeout=5;Command Timeout=30";

    /// <summary>Creates a cluster in a fresh temporary folder and starts it.</summary>
    public static async Task<PostgresServer> StartNewAsync(CancellationToken cancellationToken = default)
    {
        var binaries = FindBinaries();
        var asPostgresUser = Environment.UserName == "root";
        var folder = Directory.CreateTempSubdirectory("hvs-postgres-").FullName;
        var server = new PostgresServer(folder, binaries, FreeTcpPorts.Next(1)[0], asPostgresUser);
        try
        {
            if (asPostgresUser)
            {
                await RunAsync("chown", ["-R", "postgres:postgres", folder], cancellationToken);
            }

            await server.RunServerToolAsync("initdb", ["-D", server.DataDirectory, "-U", User, "--auth=trust", "-E", "UTF8", "--no-sync"], cancellationToken);
            await server.StartAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts (or restarts after <see cref="StopAsync"/>) the server and waits until it accepts connections.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default) =>
        RunServerToolAsync("pg_ctl", [
            "-D", DataDirectory, "-l", Path.Combine(_folder, "server.log"), "-w", "-t", "60",
            "-o", $"-p {Port.ToString(CultureInfo.InvariantCulture)} -c listen_addresses=127.0.0.1 -c unix_socket_directories='{_folder}' -c fsync=on -c max_connections=200",
            "start"], cancellationToken);

    /// <summary>Stops the server at once: clients lose their connections mid-transaction, as when the database dies.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) =>
        RunServerToolAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"], cancellationToken);

    /// <summary>Creates an empty database owned by the test user.</summary>
    public Task CreateDatabaseAsync(string name, CancellationToken cancellationToken = default) =>
        QueryAsync($"CREATE DATABASE \"{name}\"", "postgres", cancellationToken);

    /// <summary>Runs <paramref name="sql"/> with psql in <paramref name="database"/> and returns what it printed (unaligned, tuples only).</summary>
    public Task<string> QueryAsync(string sql, string database = "postgres", CancellationToken cancellationToken = default) =>
        RunAsync(Path.Combine(_binaries, "psql"), [
            "-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", User, "-d", database,
            "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql], cancellationToken);

    /// <summary>The server's own log, for a failure message.</summary>
    public string ServerLog
    {
        get
        {
            var path = Path.Combine(_folder, "server.log");
            return File.Exists(path) ? File.ReadAllText(path) : "(no server log)";
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
            {
                await StopAsync();
            }
        }
        finally
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private Task RunServerToolAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var program = Path.Combine(_binaries, tool);
        return _asPostgresUser
            ? RunAsync("runuser", ["-u", "postgres", "--", program, .. arguments], cancellationToken)
            : RunAsync(program, arguments, cancellationToken);
    }

    private static async Task<string> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(program)} {string.Join(' ', arguments)} exited with {process.ExitCode}:{Environment.NewLine}{await output}{await errors}");
        }

        return await output;
    }

    /// <summary>Debian installs the server programs under /usr/lib/postgresql/&lt;major&gt;/bin (tests/run-all.sh installs the package).</summary>
    private static string FindBinaries()
    {
        var root = "/usr/lib/postgresql";
        var candidates = Directory.Exists(root)
            ? Directory.GetDirectories(root).Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var major) ? major : 0).ToList()
            : [];
        return candidates.FirstOrDefault() ?? throw new InvalidOperationException(
            "PostgreSQL's server programs were not found under /usr/lib/postgresql/*/bin: install Debian's postgresql package (tests/run-all.sh does).");
    }
}
