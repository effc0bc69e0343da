using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HvsGrains.Grains.ReadingLog;
using HvsGrains.Grains.Readings;
using HvsGrains.Silo.Hosting;
using HvsGrains.Silo.Tests.FrontDoor;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HvsGrains.Silo.Tests.Hosting;

/// <summary>Readiness means the readings log has recovered: before that, history and module replay would see part of it.</summary>
public sealed class ReadinessTests : IDisposable
{
    private readonly DataFolder _data = new();

    [Fact]
    public async Task The_readings_log_check_is_unhealthy_until_recovery_completes_and_says_why_when_it_fails()
    {
        var recovery = new TaskCompletionSource();
        var check = new ReadingLogHealthCheck(new RecoveryOnly(recovery.Task));

        var recovering = await check.CheckHealthAsync(new HealthCheckContext());
        recovery.SetResult();
        var recovered = await check.CheckHealthAsync(new HealthCheckContext());
        var failed = await new ReadingLogHealthCheck(new RecoveryOnly(Task.FromException(new IOException("disk gone")))).CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Unhealthy, recovering.Status);
        Assert.Contains("recovering", recovering.Description, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Healthy, recovered.Status);
        Assert.Equal(HealthStatus.Unhealthy, failed.Status);
        Assert.IsType<IOException>(failed.Exception);
    }

    [Fact]
    public async Task The_silo_answers_liveness_but_is_not_ready_while_the_readings_log_recovers()
    {
        var release = new TaskCompletionSource();
        await using var silo = new SiloHost(_data.Path).WithWebHostBuilder(web => web.ConfigureTestServices(services =>
            services.AddSingleton<IReadingLog>(sp => new RecoveryHeldBack(sp.GetRequiredService<SqliteReadingLog>(), release.Task))));
        using var http = silo.CreateClient();

        using var live = await http.GetAsync("/health/live");
        using var whileRecovering = await http.GetAsync("/health/ready");
        var reportWhileRecovering = await whileRecovering.Content.ReadFromJsonAsync<JsonElement>();
        release.SetResult();
        using var afterRecovery = await http.GetAsync("/health/ready");
        var reportAfterRecovery = await afterRecovery.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, whileRecovering.StatusCode);
        Assert.Equal("Unhealthy", ReadingsLogStatus(reportWhileRecovering));
        Assert.Equal(HttpStatusCode.OK, afterRecovery.StatusCode);
        Assert.Equal("Healthy", ReadingsLogStatus(reportAfterRecovery));
    }

    public void Dispose() => _data.Dispose();

    private static string? ReadingsLogStatus(JsonElement report) =>
        report.GetProperty("checks").GetProperty("readings-log").GetProperty("status").GetString();

    /// <summary>A log that is nothing but its recovery, for the health check alone.</summary>
    private sealed class RecoveryOnly(Task recovered) : IReadingLog
    {
        public Task Recovered => recovered;

        public Task<Exception?> CheckAvailableAsync(CancellationToken cancellationToken) => Task.FromResult<Exception?>(null);

        public Task<long[]> AppendAsync(IReadOnlyList<SensorReading> readings, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<LoggedReading>> ReadModuleAsync(string moduleId, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<IReadOnlyList<LoggedReading>> ReadModuleAfterAsync(string moduleId, long afterSequence, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }

    /// <summary>The silo's own log, whose recovery counts as done only once the test says so.</summary>
    private sealed class RecoveryHeldBack(IReadingLog log, Task release) : IReadingLog
    {
        public Task Recovered { get; } = Task.WhenAll(log.Recovered, release);

        public Task<Exception?> CheckAvailableAsync(CancellationToken cancellationToken) => log.CheckAvailableAsync(cancellationToken);

        public Task<long[]> AppendAsync(IReadOnlyList<SensorReading> readings, CancellationToken cancellationToken) => log.AppendAsync(readings, cancellationToken);

        public async Task<IReadOnlyList<LoggedReading>> ReadModuleAsync(string moduleId, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken)
        {
            await Recovered.WaitAsync(cancellationToken);
            return await log.ReadModuleAsync(moduleId, from, to, limit, cancellationToken);
        }

        public async Task<IReadOnlyList<LoggedReading>> ReadModuleAfterAsync(string moduleId, long afterSequence, CancellationToken cancellationToken)
        {
            await Recovered.WaitAsync(cancellationToken);
            return await log.ReadModuleAfterAsync(moduleId, afterSequence, cancellationToken);
        }
    }
}
