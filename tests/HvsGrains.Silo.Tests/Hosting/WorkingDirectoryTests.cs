using System.Net;
using HvsGrains.Silo.Tests.FrontDoor;

namespace HvsGrains.Silo.Tests.Hosting;

/// <summary>
/// A silo started from another working directory (here /) finds its appsettings.json and its data folder beside it,
/// and does not log every request at Information even though that appsettings.json says nothing about logging.
/// </summary>
public sealed class WorkingDirectoryTests : IDisposable
{
    private const string ReadKey = "appsettings-read-key-0123456789";
    private readonly DataFolder _folder = new();

    [Fact]
    public async Task A_silo_started_from_another_folder_uses_its_appsettings_its_data_folder_and_quiet_request_logging()
    {
        var app = SiloOutputCopy.Make(Path.Combine(_folder.Path, "app"), $$"""
            {
              "Hvs": {
                "DataDirectory": "silo-data",
                "ApiKeys": { "Ingest": "appsettings-ingest-key-0123456789", "Read": "{{ReadKey}}", "Admin": "appsettings-admin-key-0123456789" },
                "ClientErrors": { "LogInterval": "01:00:00" }
              }
            }
            """);
        using var silo = app.Start(workingDirectory: "/", FreeTcpPorts.Next(3));
        Assert.True(await silo.BecomesReadyAsync(), "the silo did not become ready:\n" + string.Join('\n', silo.Output));

        // The key exists only in that appsettings.json; the data folder is relative to the application's folder.
        silo.Http.DefaultRequestHeaders.Add("X-Api-Key", ReadKey);
        for (var i = 0; i < 5; i++)
        {
            using var warehouse = await silo.Http.GetAsync("/api/v1/warehouse");
            Assert.Equal(HttpStatusCode.OK, warehouse.StatusCode);
            using var badQuery = await silo.Http.GetAsync("/api/v1/modules/M/readings?limit=many");
            Assert.Equal(HttpStatusCode.BadRequest, badQuery.StatusCode);
        }

        Assert.True(File.Exists(Path.Combine(app.Folder, "silo-data", "grain-state.db")), "no grain state in the application's folder");

        // The client-error line is written after the requests before it; once it is out, theirs would be too.
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(silo.Output.Any(l => l.Contains("Client error 400", StringComparison.Ordinal))), attempts: 1000),
            "no client-error line:\n" + string.Join('\n', silo.Output));
        var output = silo.Output;
        Assert.DoesNotContain(output, l => l.Contains("Request starting", StringComparison.Ordinal) || l.Contains("Request finished", StringComparison.Ordinal));
        Assert.DoesNotContain(output, l => l.Contains("Executing endpoint", StringComparison.Ordinal));
        Assert.Single(output, l => l.Contains("Client error", StringComparison.Ordinal));
        Assert.DoesNotContain(output, l => l.StartsWith("fail: Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.DoesNotContain(output, l => l.TrimStart().StartsWith("at Microsoft.AspNetCore", StringComparison.Ordinal) || l.TrimStart().StartsWith("at HvsGrains.Silo", StringComparison.Ordinal));
    }

    public void Dispose() => _folder.Dispose();
}
