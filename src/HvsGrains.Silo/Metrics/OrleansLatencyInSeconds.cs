using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using HvsGrains.Grains;

namespace HvsGrains.Silo.Metrics;

/// <summary>
/// Orleans' latency histograms are in milliseconds, which Prometheus' conventions refuse and OpenTelemetry cannot
/// rescale: this re-records each one in seconds under the same name on the "HvsGrains.Orleans" meter (grain storage,
/// activation, directory registration). Not the grain call histogram (orleans-app-requests-latency): it is recorded
/// for every reading, and the Orleans Dashboard shows it. The originals are left out by <see cref="PrometheusConventions"/>.
/// </summary>
public sealed class OrleansLatencyInSeconds : IHostedService, IDisposable
{
    public const string MeterName = "HvsGrains.Orleans";
    private const string OrleansMeter = "Microsoft.Orleans";
    private const string PerCallHistogram = "orleans-app-requests-latency";

    private readonly MeterListener _listener = new();
    private readonly Meter _meter;
    private readonly ConcurrentDictionary<string, Histogram<double>> _histograms = new(StringComparer.Ordinal);

    public OrleansLatencyInSeconds(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(MeterName);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == OrleansMeter && instrument.Unit == "ms" && instrument.Name != PerCallHistogram
                && instrument.GetType().IsGenericType && instrument.GetType().GetGenericTypeDefinition() == typeof(Histogram<>))
            {
                listener.EnableMeasurementEvents(instrument, InSeconds(instrument));
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, value, tags, state) => ((Histogram<double>)state!).Record(value / 1000, tags));
        _listener.SetMeasurementEventCallback<long>((_, value, tags, state) => ((Histogram<double>)state!).Record(value / 1000.0, tags));
        _listener.SetMeasurementEventCallback<int>((_, value, tags, state) => ((Histogram<double>)state!).Record(value / 1000.0, tags));
        _listener.Start();
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _listener.Dispose();

    // One per name: several silos in one process (tests) share the names.
    private Histogram<double> InSeconds(Instrument instrument) => _histograms.GetOrAdd(instrument.Name, name => _meter.CreateHistogram(
        name, "s", instrument.Description ?? $"Orleans' {name}, in seconds", tags: null,
        advice: LatencyBuckets.Advice));
}
