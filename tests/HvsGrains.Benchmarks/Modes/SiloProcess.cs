using System.Diagnostics;
using System.Globalization;
using HvsGrains.Tests.Shared;

namespace HvsGrains.Benchmarks.Modes;

/// <summary>
/// The silo from its Release build output as a process of its own (temp data folder, free loopback ports, fixed
/// keys), for modes that must see the process from outside: its RSS, its CPU, how its front door answers.
/// </summary>
internal sealed class SiloProcess : IAsyncDisposable
{
    public const string IngestKey = "bench-ingest-key-0123456789";
    public const string ReadKey = "bench-read-key-0123456789";

    private readonly Process _process;
    private readonly string _data;
    private readonly Queue<string> _lastLines = new();
    private long _linesWritten;

    private SiloProcess(Process process, string data, Uri baseAddress)
    {
        _process = process;
        _data = data;
        BaseAddress = baseAddress;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    public int Id => _process.Id;

    public TimeSpan TotalProcessorTime => _process.TotalProcessorTime;

    /// <summary>Resident set size now (VmRSS), bytes.</summary>
    public long Rss => ReadStatus("VmRSS:");

    /// <summary>Highest resident set size so far (VmHWM), bytes.</summary>
    public long PeakRss => ReadStatus("VmHWM:");

    /// <summary>Lines the silo wrote to its console so far.</summary>
    public long LinesWritten => Interlocked.Read(ref _linesWritten);

    /// <summary>
    /// Starts <paramref name="dll"/> (or the Release build of src/HvsGrains.Silo) with <paramref name="settings"/>
    /// ("Hvs:Ingest:MaxConcurrentRequests" style keys, passed as environment variables) at High priority, as the
    /// benchmark itself runs, and waits until it is ready. <paramref name="logLevel"/> null keeps the shipped levels.
    /// </summary>
    public static async Task<SiloProcess> StartAsync(string? dll, IReadOnlyDictionary<string, string> settings, string? logLevel = "Warning")
    {
        dll ??= Path.Combine(RepositoryRoot(), "src", "HvsGrains.Silo", "bin", "Release", "net10.0", "HvsGrains.Silo.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"Build the silo first: dotnet build -c Release src/HvsGrains.Silo (looked for {dll})");
        }

        var data = Path.Combine(Path.GetTempPath(), "hvs-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        var ports = FreeTcpPorts.Next(3);
        var port = ports[0];
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll, "--urls", $"http://127.0.0.1:{port}" },
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["Hvs__ApiKeys__Ingest"] = IngestKey;
        start.Environment["Hvs__ApiKeys__Read"] = ReadKey;
        start.Environment["Hvs__ApiKeys__Admin"] = "bench-admin-key-0123456789";
        start.Environment["Hvs__DataDirectory"] = data;
        start.Environment["Hvs__Orleans__SiloPort"] = ports[1].ToString(CultureInfo.InvariantCulture);
        start.Environment["Hvs__Orleans__GatewayPort"] = ports[2].ToString(CultureInfo.InvariantCulture);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        if (logLevel is not null)
        {
            start.Environment["Logging__LogLevel__Default"] = logLevel;
        }

        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        Console.WriteLine($"silo: dotnet {dll} --urls http://127.0.0.1:{port}  (data {data}, log level {logLevel ?? "as shipped"})");
        var silo = new SiloProcess(Process.Start(start) ?? throw new InvalidOperationException("the silo did not start"), data, new Uri($"http://127.0.0.1:{port}"));
        try
        {
            try
            {
                silo._process.PriorityClass = ProcessPriorityClass.High;
            }
            catch (Exception exception) when (exception is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                Console.WriteLine($"silo priority unchanged: {exception.Message}");
            }

            await silo.WaitReadyAsync();
            return silo;
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the silo with SIGTERM (grains deactivate and write their state) and removes its data folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Console.WriteLine("silo did not stop within 60 s of SIGTERM; killing it");
                _process.Kill();
                await _process.WaitForExitAsync();
            }
        }

        Console.WriteLine($"silo stopped (exit code {_process.ExitCode})");
        if (_process.ExitCode != 0)
        {
            lock (_lastLines)
            {
                Console.WriteLine($"silo exit code {_process.ExitCode}; last output:{System.Environment.NewLine}{string.Join(System.Environment.NewLine, _lastLines)}");
            }
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            Console.WriteLine($"could not delete {_data}: {exception.Message}");
        }
    }

    private async Task WaitReadyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the silo exited with {_process.ExitCode} before it was ready");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(BaseAddress, "/health/ready"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("the silo was not ready within 60 s");
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        Interlocked.Increment(ref _linesWritten);
        lock (_lastLines)
        {
            _lastLines.Enqueue(line);
            if (_lastLines.Count > 20)
            {
                _lastLines.Dequeue();
            }
        }
    }

    private long ReadStatus(string field)
    {
        var status = $"/proc/{_process.Id}/status";
        try
        {
            var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    private static string RepositoryRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, System.Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "HvsGrains.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("HvsGrains.sln not found above the benchmark or the current directory; pass --silo-dll");
    }
}
