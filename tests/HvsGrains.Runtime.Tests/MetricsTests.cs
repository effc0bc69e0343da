using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using HvsGrains.Runtime.Metrics;
using HvsGrains.Runtime.Tests.Grains;
using HvsGrains.Runtime.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace HvsGrains.Runtime.Tests;

public sealed class MetricsTests : IDisposable
{
    private readonly TempDatabase _database = new();

    [Fact]
    public async Task Activations_calls_failures_turns_and_mailboxes_are_measured()
    {
        await using var silo = await TestSilo.StartAsync(_database.Path);
        var meters = silo.Services.GetRequiredService<IMeterFactory>();
        var totals = new ConcurrentDictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Other tests run silos in parallel: listen to this silo's meter only.
            if (instrument.Meter.Name == RuntimeMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, meters))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, value, tags, _) => totals.AddOrUpdate(Key(i, tags), value, (_, v) => v + value));
        listener.SetMeasurementEventCallback<int>((i, value, tags, _) => totals.AddOrUpdate(Key(i, tags), value, (_, v) => v + value));
        listener.SetMeasurementEventCallback<double>((i, value, tags, _) => totals.AddOrUpdate(Key(i, tags), 1, (_, v) => v + 1));
        listener.Start();

        await Task.WhenAll(Enumerable.Range(0, 3).Select(i => silo.Grains.GetGrain<ICounterGrain>($"m{i}").Increment()));
        await Assert.ThrowsAsync<InvalidOperationException>(() => silo.Grains.GetGrain<ICounterGrain>("m0").Fail("no"));
        var gated = silo.Grains.GetGrain<ICounterGrain>("m1");
        await gated.WaitAtGate();
        var queued = Enumerable.Range(0, 4).Select(_ => gated.Increment()).ToList();
        listener.RecordObservableInstruments();
        silo.Log.Gate.SetResult();
        await Task.WhenAll(queued);

        Assert.Equal(3, totals["hvs.grain.activations|ICounterGrain"]);
        Assert.Equal(3, totals["hvs.grain.calls|ICounterGrain|Increment"] - 4);
        Assert.Equal(1, totals["hvs.grain.calls|ICounterGrain|Fail"]);
        Assert.Equal(1, totals["hvs.grain.call.failures|ICounterGrain|Fail"]);
        Assert.True(totals["hvs.grain.turn.duration|ICounterGrain|Increment"] >= 7);
        Assert.Equal(1, totals["hvs.grain.turn.duration|ICounterGrain|Fail"]);
        Assert.True(totals["hvs.grain.mailbox.depth|ICounterGrain"] >= 4);
    }

    private static string Key(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var parts = new List<string> { instrument.Name };
        foreach (var tag in tags)
        {
            parts.Add(tag.Value?.ToString() ?? "");
        }

        return string.Join('|', parts);
    }

    public void Dispose() => _database.Dispose();
}
