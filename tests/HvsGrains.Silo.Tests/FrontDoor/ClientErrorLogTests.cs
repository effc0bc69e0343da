using HvsGrains.Silo.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HvsGrains.Silo.Tests.FrontDoor;

/// <summary>Client errors cost at most one log line per interval, and that line counts the ones left out.</summary>
public sealed class ClientErrorLogTests : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly ManualTimeProvider _clock = new();
    private readonly CapturedLog _captured = new();
    private readonly ILoggerFactory _loggers;
    private readonly ClientErrorLog _log;

    public ClientErrorLogTests()
    {
        _loggers = LoggerFactory.Create(l => l.AddProvider(_captured).SetMinimumLevel(LogLevel.Trace));
        _log = new ClientErrorLog(_loggers.CreateLogger<ClientErrorLog>(), _clock, Options.Create(new ClientErrorLogOptions { LogInterval = Interval }));
    }

    [Fact]
    public void One_line_per_interval_and_the_next_line_counts_those_left_out()
    {
        for (var i = 0; i < 50; i++)
        {
            _log.Record(Request("/api/v1/readings"), 400, "Bad chunk size data.");
            _clock.Advance(TimeSpan.FromMilliseconds(100)); // 5 s in all: still within the interval
        }

        var first = Assert.Single(_captured.Entries);
        Assert.Equal(LogLevel.Information, first.Level);
        Assert.Null(first.Exception);
        Assert.Contains("Client error 400 on POST /api/v1/readings: Bad chunk size data. (0 more", first.Message, StringComparison.Ordinal);

        _clock.Advance(Interval);
        _log.Record(Request("/api/v1/readings"), 408, "Reading the request body timed out due to data arriving too slowly.");

        Assert.Equal(2, _captured.Entries.Count);
        Assert.Contains("Client error 408 on POST /api/v1/readings: Reading the request body timed out", _captured.Entries[1].Message, StringComparison.Ordinal);
        Assert.Contains("(49 more client errors", _captured.Entries[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void What_the_client_sent_is_logged_on_one_line_and_bounded()
    {
        _log.Record(Request("/api/v1/modules/M%0A1/readings"), 400, $"Failed to bind parameter \"int? limit\" from \"1\r\nfail: forged line\ud800{new string('x', 500)}\".");

        var line = Assert.Single(_captured.Entries).Message;
        Assert.DoesNotContain('\n', line);
        Assert.DoesNotContain('\r', line);
        Assert.DoesNotContain(line, char.IsSurrogate);
        Assert.Contains("/api/v1/modules/M%0A1/readings", line, StringComparison.Ordinal);
        Assert.True(line.Length < 500, line);
    }

    public void Dispose() => _loggers.Dispose();

    private static HttpRequest Request(string path)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Path = PathString.FromUriComponent(path);
        return context.Request;
    }
}
