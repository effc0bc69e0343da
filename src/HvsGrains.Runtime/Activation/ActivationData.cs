using System.Diagnostics;
using HvsGrains.Runtime.Invocation;
using HvsGrains.Runtime.State;
using Microsoft.Extensions.Logging;

namespace HvsGrains.Runtime.Activation;

/// <summary>
/// One activation of a grain: its mailbox and the loop that runs its turns one at a time,
/// each to completion including its awaits (non-reentrant, like Orleans' default).
/// </summary>
internal sealed class ActivationData : IThreadPoolWorkItem
{
    [ThreadStatic]
    private static ActivationData? t_constructing;

    private readonly Lock _lock = new();
    private Queue<Turn>? _mailbox;
    private bool _loopScheduled;
    private bool _deactivationQueued;
    private ActivationStatus _status;
    private Grain? _grain;
    private List<GrainTimer>? _timers;
    private TaskCompletionSource? _deactivated;

    public ActivationData(GrainRuntime runtime, GrainInterface grainInterface, GrainId grainId)
    {
        Runtime = runtime;
        Interface = grainInterface;
        GrainId = grainId;
    }

    /// <summary>The activation whose grain object is being constructed on this thread.</summary>
    internal static ActivationData? Constructing => t_constructing;

    public GrainRuntime Runtime { get; }

    public GrainInterface Interface { get; }

    public GrainId GrainId { get; }

    /// <summary>When the last call started, in UTC ticks of the runtime's clock.</summary>
    public long LastActiveTicks { get; private set; }

    public int MailboxDepth
    {
        get
        {
            lock (_lock)
            {
                return _mailbox?.Count ?? 0;
            }
        }
    }

    /// <summary>
    /// True when activated and not already retiring. Whether it has been idle long enough is
    /// <see cref="LastActiveTicks"/>' business; a call that starts after the collector chose
    /// this activation cancels the deactivation (timer ticks do not count as activity).
    /// </summary>
    public bool IsCollectable
    {
        get
        {
            lock (_lock)
            {
                return _status == ActivationStatus.Valid && !_deactivationQueued;
            }
        }
    }

    /// <summary>Queues a turn; false when this activation is gone and the caller must find another.</summary>
    public bool TryEnqueue(Turn turn)
    {
        lock (_lock)
        {
            if (_status == ActivationStatus.Invalid)
            {
                return false;
            }

            (_mailbox ??= new Queue<Turn>(2)).Enqueue(turn);
            if (_loopScheduled)
            {
                return true;
            }

            _loopScheduled = true;
        }

        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        return true;
    }

    /// <summary>Queues deactivation behind the calls already queued; completes when it is done.</summary>
    public Task RequestDeactivation(DeactivationReason reason)
    {
        lock (_lock)
        {
            _deactivated ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_status == ActivationStatus.Invalid || _deactivationQueued)
            {
                return _deactivated.Task;
            }

            _deactivationQueued = true;
        }

        TryEnqueue(new DeactivationTurn(reason, Runtime.TimeProvider.GetUtcNow().UtcTicks));
        return _deactivated.Task;
    }

    public IGrainTimer RegisterTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new GrainTimer(this, callback, dueTime, period);
        lock (_lock)
        {
            (_timers ??= []).Add(timer);
        }

        return timer;
    }

    public void RemoveTimer(GrainTimer timer)
    {
        lock (_lock)
        {
            _timers?.Remove(timer);
        }
    }

    void IThreadPoolWorkItem.Execute() => _ = RunTurnsAsync();

    private async Task RunTurnsAsync()
    {
        while (true)
        {
            Turn? turn = null;
            List<Turn>? orphans = null;
            lock (_lock)
            {
                if (_status == ActivationStatus.Invalid)
                {
                    orphans = [.. _mailbox ?? []];
                    _mailbox?.Clear();
                    _loopScheduled = false;
                }
                else if (_mailbox is null || !_mailbox.TryDequeue(out turn))
                {
                    _loopScheduled = false;
                    return;
                }
            }

            if (orphans is not null)
            {
                // Calls that arrived while this activation was retiring go to its successor.
                foreach (var orphan in orphans)
                {
                    Runtime.Dispatch(GrainId, orphan);
                }

                return;
            }

            if (_status == ActivationStatus.Created && !await TryActivateAsync(turn!))
            {
                continue;
            }

            if (turn is InvocationTurn)
            {
                // Stamped before the call runs, so it is in place before the caller hears back.
                LastActiveTicks = Runtime.TimeProvider.GetUtcNow().UtcTicks;
            }

            var started = Stopwatch.GetTimestamp();
            var running = turn!.RunAsync(this, _grain!);
            if (!running.IsCompletedSuccessfully)
            {
                await running;
            }

            Runtime.Metrics.TurnFinished(Interface, turn, Stopwatch.GetElapsedTime(started));
        }
    }

    private async ValueTask<bool> TryActivateAsync(Turn firstTurn)
    {
        if (firstTurn is DeactivationTurn)
        {
            // Never activated: nothing to deactivate.
            Retire();
            return false;
        }

        try
        {
            t_constructing = this;
            Grain grain;
            IReadOnlyList<IReadableState> states;
            try
            {
                (grain, states) = Runtime.Activator.Create(Interface.ImplementationType);
            }
            finally
            {
                t_constructing = null;
            }

            grain.Attach(this);
            foreach (var state in states)
            {
                await state.ReadStateAsync(CancellationToken.None);
            }

            await grain.OnActivateAsync(CancellationToken.None);
            _grain = grain;
            LastActiveTicks = Runtime.TimeProvider.GetUtcNow().UtcTicks;
            lock (_lock)
            {
                _status = ActivationStatus.Valid;
            }

            Runtime.Metrics.Activated(Interface);
            return true;
        }
#pragma warning disable CA1031 // A failed activation fails its callers; the runtime goes on.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Runtime.Logger.LogError(exception, "Activation of {Grain} failed", GrainId);
            List<Turn> failed;
            lock (_lock)
            {
                failed = [firstTurn, .. _mailbox ?? []];
                _mailbox?.Clear();
            }

            Retire();
            foreach (var turn in failed)
            {
                turn.Fail(exception);
            }

            return false;
        }
    }

    internal async Task DeactivateAsync(Grain grain, DeactivationReason reason, long requestedAtTicks)
    {
        if (reason == DeactivationReason.IdleTimeout && LastActiveTicks >= requestedAtTicks)
        {
            // A call ran after the collector chose this activation: it is not idle any more.
            TaskCompletionSource? waiting;
            lock (_lock)
            {
                _deactivationQueued = false;
                waiting = _deactivated;
                _deactivated = null;
            }

            waiting?.TrySetResult();
            return;
        }

        lock (_lock)
        {
            _status = ActivationStatus.Deactivating;
        }

        foreach (var timer in TakeTimers())
        {
            timer.Dispose();
        }

        try
        {
            await grain.OnDeactivateAsync(reason, CancellationToken.None);
        }
#pragma warning disable CA1031 // Deactivation must finish even when the grain's hook fails.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Runtime.Logger.LogError(exception, "OnDeactivateAsync of {Grain} failed", GrainId);
        }

        Runtime.Metrics.Deactivated(Interface);
        Retire();
    }

    private List<GrainTimer> TakeTimers()
    {
        lock (_lock)
        {
            var timers = _timers ?? [];
            _timers = null;
            return timers;
        }
    }

    private void Retire()
    {
        TaskCompletionSource? deactivated;
        lock (_lock)
        {
            _status = ActivationStatus.Invalid;
            deactivated = _deactivated;
        }

        Runtime.RemoveActivation(this);
        deactivated?.TrySetResult();
    }
}
