using System.Diagnostics.Metrics;
using HvsGrains.Runtime.Activation;
using HvsGrains.Runtime.Invocation;

namespace HvsGrains.Runtime.Metrics;

/// <summary>
/// The runtime's instruments on the "HvsGrains.Runtime" meter: what the dashboard and any
/// OpenTelemetry exporter read, so there is no second bookkeeping.
/// </summary>
public sealed class RuntimeMetrics
{
    public const string MeterName = "HvsGrains.Runtime";

    private readonly Meter _meter;
    private readonly UpDownCounter<long> _activations;
    private readonly Counter<long> _calls;
    private readonly Counter<long> _failures;
    private readonly Histogram<double> _turnDuration;

    public RuntimeMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(MeterName);
        _activations = _meter.CreateUpDownCounter<long>("hvs.grain.activations", "{activation}", "Live activations by grain type");
        _calls = _meter.CreateCounter<long>("hvs.grain.calls", "{call}", "Grain calls run, by grain type and method");
        _failures = _meter.CreateCounter<long>("hvs.grain.call.failures", "{call}", "Grain calls that threw, by grain type and method");
        _turnDuration = _meter.CreateHistogram<double>("hvs.grain.turn.duration", "ms", "Duration of one turn, awaits included, by grain type and method");
    }

    internal void ObserveDirectory(GrainRuntime runtime)
    {
        _meter.CreateObservableGauge("hvs.grain.mailbox.depth", () => MailboxDepths(runtime), "{call}", "Queued turns by grain type (sum over activations)");
        _meter.CreateObservableGauge("hvs.grain.mailbox.max_depth", () => MailboxDepths(runtime, max: true), "{call}", "Longest mailbox by grain type");
    }

    internal void Activated(GrainInterface grainInterface) => _activations.Add(1, grainInterface.TypeTag);

    internal void Deactivated(GrainInterface grainInterface) => _activations.Add(-1, grainInterface.TypeTag);

    internal void CallCompleted(GrainMethod method, bool failed)
    {
        _calls.Add(1, method.Owner.TypeTag, method.MethodTag);
        if (failed)
        {
            _failures.Add(1, method.Owner.TypeTag, method.MethodTag);
        }
    }

    internal void TurnFinished(GrainInterface grainInterface, Turn turn, TimeSpan elapsed)
    {
        if (_turnDuration.Enabled)
        {
            _turnDuration.Record(elapsed.TotalMilliseconds, grainInterface.TypeTag, turn.MethodTag);
        }
    }

    private static IEnumerable<Measurement<int>> MailboxDepths(GrainRuntime runtime, bool max = false) =>
        runtime.Activations
            .GroupBy(a => a.Interface)
            .Select(g => new Measurement<int>(max ? g.Max(a => a.MailboxDepth) : g.Sum(a => a.MailboxDepth), g.Key.TypeTag));
}
