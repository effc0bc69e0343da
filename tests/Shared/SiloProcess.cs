using System.Diagnostics;
using System.Net.Http.Headers;

namespace HvsGrains.Tests.Shared;

/// <summary>
/// The silo's build output run as a process of its own on a data folder, so a test can kill it as a crash
/// does (<see cref="Kill"/> sends SIGKILL on Linux) and start another on the same files. Loopback only.
/// </summary>
public sealed class SiloProcess : IDisposable
{
    public const string IngestKey = "process-ingest-key-0123456789";
    public const string ReadKey = "process-read-key-0123456789";
    public const string AdminKey = "process-admin-key-0123456789";
    private const int KeptLines = 40;
    private readonly Process _process;
    private readonly Queue<string> _lastLines = new();

    private SiloProcess(Process process, Uri baseAddress, IReadOnlyList<int> ports)
    {
        _process = process;
        BaseAddress = baseAddress;
        Ports = ports;
        GatewayPort = ports[2];
    }

    public Uri BaseAddress { get; }

    /// <summary>CPU time the silo process has used so far (read while it runs).</summary>
    public TimeSpan TotalProcessorTime => _process.TotalProcessorTime;

    /// <summary>The front door's, silo and gateway ports: give them to <see cref="Start"/> to start a successor at the same address.</summary>
    public IReadOnlyList<int> Ports { get; }

    /// <summary>The Orleans gateway port, for clients such as the `hvs` tool.</summary>
    public int GatewayPort { get; }

    /// <summary>The last lines the silo wrote, for a failure message.</summary>
    public string RecentOutput
    {
        get
        {
            lock (_lastLines)
            {
                return string.Join(Environment.NewLine, _lastLines);
            }
        }
    }

    /// <summary>
    /// Starts the silo of the tests' own build configuration on fresh loopback ports, or on <paramref name="ports"/>
    /// (a killed silo's <see cref="Ports"/>: a browser reconnects to the same address, and Orleans sees the same silo
    /// address with a new generation, so the cluster declares the killed one dead at once).
    /// </summary>
    public static SiloProcess Start(string dataDirectory, IReadOnlyDictionary<string, string>? settings = null, IReadOnlyList<int>? ports = null)
    {
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var dll = RepositoryFiles.Find($"src/HvsGrains.Silo/bin/{configuration}/net10.0/HvsGrains.Silo.dll");
        ports ??= FreeTcpPorts.Next(3);
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll, "--urls", $"http://127.0.0.1:{ports[0]}" },
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["Hvs__DataDirectory"] = dataDirectory;
        start.Environment["Hvs__ApiKeys__Ingest"] = IngestKey;
        start.Environment["Hvs__ApiKeys__Read"] = ReadKey;
        start.Environment["Hvs__ApiKeys__Admin"] = AdminKey;
        start.Environment["Hvs__Orleans__SiloPort"] = ports[1].ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Hvs__Orleans__GatewayPort"] = ports[2].ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__HvsGrains.Grains.ReadingLog"] = "Information";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("the silo did not start");
        var silo = new SiloProcess(process, new Uri($"http://127.0.0.1:{ports[0]}"), ports);
        process.OutputDataReceived += (_, e) => silo.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => silo.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return silo;
    }

    public HttpClient Client(string apiKey)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    /// <summary>Polls readiness until it answers 200; false when the process ends first or the attempts run out.</summary>
    public async Task<bool> WaitReadyAsync(int attempts = 6000)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        return await Eventually.HoldsAsync(
            async () =>
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"the silo exited with {_process.ExitCode}:{Environment.NewLine}{RecentOutput}");
                }

                try
                {
                    using var response = await http.GetAsync("/health/ready");
                    return response.IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            attempts);
    }

    /// <summary>Ends the process at once, as a crash does: no shutdown code runs.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lastLines)
        {
            _lastLines.Enqueue(line);
            if (_lastLines.Count > KeptLines)
            {
                _lastLines.Dequeue();
            }
        }
    }
}
