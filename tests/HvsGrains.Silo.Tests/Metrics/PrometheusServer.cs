using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace HvsGrains.Silo.Tests.Metrics;

/// <summary>Debian's Prometheus server on a free loopback port with its own storage folder, stopped on dispose.</summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly HttpClient _http;

    private PrometheusServer(Process process, int port)
    {
        _process = process;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public static async Task<PrometheusServer> StartAsync(string configFile, string storageFolder)
    {
        var port = FreeTcpPorts.Next(1)[0];
        var start = new ProcessStartInfo(ExternalTool.Find(ExternalTool.Prometheus))
        {
            ArgumentList =
            {
                $"--config.file={configFile}",
                $"--storage.tsdb.path={storageFolder}",
                $"--web.listen-address=127.0.0.1:{port}",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new PrometheusServer(process, port);
        if (!await server.PollAsync(server.ReadyAsync))
        {
            await server.DisposeAsync();
            Assert.Fail("Prometheus did not become ready");
        }

        return server;
    }

    /// <summary>Asks /api/v1/query until the instant query has a sample; its value, or null when it never had one.</summary>
    public async Task<double?> QueryUntilAnswerAsync(string query)
    {
        double? value = null;
        await PollAsync(async () => (value = await QueryAsync(query)) is not null);
        return value;
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private async Task<double?> QueryAsync(string query)
    {
        var answer = await _http.GetFromJsonAsync<JsonElement>($"/api/v1/query?query={Uri.EscapeDataString(query)}");
        Assert.Equal("success", answer.GetProperty("status").GetString());
        var result = answer.GetProperty("data").GetProperty("result");
        return result.GetArrayLength() == 0
            ? null
            : double.Parse(result[0].GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<bool> ReadyAsync()
    {
        try
        {
            using var response = await _http.GetAsync("/-/ready");
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>Up to 240 tries a quarter of a second apart (a minute when nothing answers slowly).</summary>
    private async Task<bool> PollAsync(Func<Task<bool>> condition)
    {
        for (var attempt = 0; attempt < 240 && !_process.HasExited; attempt++)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(250);
        }

        return false;
    }
}
