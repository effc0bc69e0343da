using System.Globalization;
using HvsGrains.Grains.Readings;
using HvsGrains.Simulation.Physics;

namespace HvsGrains.Simulation.Feed;

/// <summary>Totals of a live feed run.</summary>
public sealed record FeedResult(
    TimeSpan Simulated,
    long ReadingsGenerated,
    long ReadingsSent,
    long ReadingsFailed,
    int Batches,
    int HttpErrors,
    int Retries,
    string? FaultModuleId,
    double? FaultPeakSurfaceC,
    TimeSpan? FaultPnr);

/// <summary>
/// Runs a <see cref="WarehouseSimulation"/> in real or accelerated time and posts its readings to
/// the front door, so a person can inject a fault and watch the alarm arrive.
/// <para>
/// Timestamps: readings carry <c>start + simulated time</c> with
/// <c>start = now − duration · (1 − 1/speed)</c> (whole seconds). At speed 1 that is real time; at
/// speed 60 a 2 h run takes 2 min and is stamped from 1 h 58 min ago up to now, so no reading is
/// ever ahead of the wall clock (the front door refuses future timestamps) and the last one is
/// "now". Unpaced (speed 0) runs are stamped from now − duration.
/// </para>
/// </summary>
public static class LiveFeed
{
    /// <summary>Start timestamp for a run that begins at <paramref name="now"/>.</summary>
    public static DateTimeOffset StartFor(DateTimeOffset now, TimeSpan duration, double speed)
    {
        double back = speed >= 1 ? duration.TotalSeconds * (1.0 - (1.0 / speed)) : duration.TotalSeconds;
        DateTimeOffset start = now.AddSeconds(-back);
        return new DateTimeOffset(start.UtcTicks - (start.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }

    public static async Task<FeedResult> RunAsync(
        FeedOptions options, HttpClient http, TextWriter output, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(output);
        options.Check();
        time ??= TimeProvider.System;
        var sim = new WarehouseSimulation(options, StartFor(time.GetUtcNow(), options.Duration, options.Speed));
        var poster = new ReadingPoster(http, options.Url, options.ApiKey, options.MaxAttempts, options.RetryDelay, time);
        var run = new Run(options, sim, poster, output, time);
        output.WriteLine(Invariant(
            $"[feed] {options.Racks} racks × {options.ModulesPerRack} modules ({options.Chemistry.ToString().ToUpperInvariant()}), {Clock(options.Duration)} simulated at {(options.Speed == 0 ? "full speed" : $"x{options.Speed:0.##}")}, every {options.SampleInterval.TotalSeconds:0} s → {poster.Endpoint}"));
        output.WriteLine(Invariant($"[feed] readings stamped {sim.Start:O} … {sim.Start + options.Duration:O}"));
        if (sim.FaultModuleId is { } faulty)
        {
            output.WriteLine(Invariant($"[feed] fault {options.Fault} (severity {options.Severity}) will be injected into {faulty} at sim {Clock(options.FaultAt)}"));
        }

        await run.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        return run.Result();
    }

    internal static string Clock(TimeSpan t) => t.ToString(t.TotalHours >= 24 ? @"d\.hh\:mm\:ss" : @"hh\:mm\:ss", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private sealed class Run(FeedOptions options, WarehouseSimulation sim, ReadingPoster poster, TextWriter output, TimeProvider time)
    {
        private readonly List<SensorReading> _pending = new(options.Batch);
        private readonly List<SensorReading> _tick = new(sim.ModuleCount);
        private long _pendingSince;
        private long _generated, _sent, _failed;
        private int _batches, _httpErrors, _retries;
        private double _faultLastC = double.NaN, _faultPeakC = double.NaN;
        private bool _faultAnnounced, _pnrAnnounced;

        public async Task ExecuteAsync(CancellationToken cancellationToken)
        {
            long wallStart = time.GetTimestamp();
            long nextProgress = wallStart;
            while (!sim.Finished)
            {
                cancellationToken.ThrowIfCancellationRequested();
                _tick.Clear();
                sim.Next(_tick);
                _generated += _tick.Count;
                Watch();

                if (options.Speed > 0)
                {
                    // Hold this tick until its simulated time is due on the wall clock.
                    TimeSpan due = TimeSpan.FromSeconds(sim.Elapsed.TotalSeconds / options.Speed);
                    TimeSpan wait = due - time.GetElapsedTime(wallStart);
                    if (_pending.Count > 0 && time.GetElapsedTime(_pendingSince) + wait >= options.MaxBatchDelay)
                    {
                        await FlushAsync(cancellationToken).ConfigureAwait(false);
                        wait = due - time.GetElapsedTime(wallStart);
                    }

                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
                    }
                }

                foreach (SensorReading reading in _tick)
                {
                    if (_pending.Count == 0)
                    {
                        _pendingSince = time.GetTimestamp();
                    }

                    _pending.Add(reading);
                    if (_pending.Count == options.Batch)
                    {
                        await FlushAsync(cancellationToken).ConfigureAwait(false);
                    }
                }

                if (time.GetTimestamp() >= nextProgress)
                {
                    Progress();
                    nextProgress = time.GetTimestamp() + (long)(options.ProgressInterval.TotalSeconds * time.TimestampFrequency);
                }
            }

            await FlushAsync(cancellationToken).ConfigureAwait(false);
            Progress();
        }

        public FeedResult Result() => new(
            sim.Elapsed, _generated, _sent, _failed, _batches, _httpErrors, _retries, sim.FaultModuleId,
            double.IsNaN(_faultPeakC) ? null : _faultPeakC, sim.FaultPnr);

        private async Task FlushAsync(CancellationToken cancellationToken)
        {
            if (_pending.Count == 0)
            {
                return;
            }

            PostOutcome outcome = await poster.PostAsync(_pending, cancellationToken).ConfigureAwait(false);
            _batches++;
            _retries += outcome.Attempts - 1;
            if (outcome.Success)
            {
                _sent += _pending.Count;
            }
            else
            {
                _failed += _pending.Count;
                _httpErrors++;
                output.WriteLine(Invariant($"[feed] batch of {_pending.Count} failed after {outcome.Attempts} attempt(s): {outcome.Problem}"));
            }

            _pending.Clear();
        }

        private void Watch()
        {
            if (sim.FaultModuleId is not { } faulty)
            {
                return;
            }

            foreach (SensorReading r in _tick)
            {
                if (r.MaxSurfaceTempC is { } t && string.Equals(r.ModuleId, faulty, StringComparison.Ordinal))
                {
                    _faultLastC = t;
                    _faultPeakC = double.IsNaN(_faultPeakC) ? t : Math.Max(_faultPeakC, t);
                }
            }

            if (!_faultAnnounced && sim.Elapsed >= options.FaultAt)
            {
                _faultAnnounced = true;
                output.WriteLine(Invariant($"[feed] sim {Clock(sim.Elapsed)}: fault {options.Fault} active in {faulty}"));
            }

            if (!_pnrAnnounced && sim.FaultPnr is { } pnr)
            {
                _pnrAnnounced = true;
                ModuleState s = sim.FaultModuleTruth!.Value;
                output.WriteLine(Invariant($"[feed] sim {Clock(pnr)}: {faulty} crossed the point of no return (core {s.CoreC:0} °C, surface {s.MaxSurfaceC:0.0} °C)"));
            }
        }

        private void Progress()
        {
            string fault = sim.FaultModuleId is { } id
                ? Invariant($"  {id} max surface {_faultLastC:0.0} °C (peak {_faultPeakC:0.0} °C)")
                : "";
            output.WriteLine(Invariant(
                $"[feed] sim {Clock(sim.Elapsed)}/{Clock(sim.Duration)}  readings {_sent:N0} sent, {_failed:N0} failed, {_pending.Count:N0} pending  batches {_batches}  HTTP errors {_httpErrors}  retries {_retries}{fault}"));
        }
    }
}
