using System.Collections.Concurrent;
using System.Reflection;
using HvsGrains.Runtime.Invocation;
using HvsGrains.Runtime.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HvsGrains.Runtime.Activation;

/// <summary>
/// The silo's grain runtime: hands out references, keeps one activation per grain id in its
/// directory, routes every call to its activation's mailbox and retires idle activations.
/// </summary>
public sealed class GrainRuntime : IGrainFactory, IAsyncDisposable
{
    private static readonly MethodInfo CreateProxyMethod =
        typeof(DispatchProxy).GetMethod(nameof(DispatchProxy.Create), 2, Type.EmptyTypes)!;

    private readonly ConcurrentDictionary<GrainId, ActivationData> _directory = new();
    private readonly ConcurrentDictionary<Type, GrainReference> _prototypes = new();
    private readonly GrainRuntimeOptions _options;
    private ITimer? _collectionTimer;
    private volatile bool _stopping;

    public GrainRuntime(
        GrainTypeRegistry registry,
        GrainActivator activator,
        IOptions<GrainRuntimeOptions> options,
        TimeProvider timeProvider,
        RuntimeMetrics metrics,
        ILogger<GrainRuntime> logger)
    {
        Registry = registry;
        Activator = activator;
        _options = options.Value;
        TimeProvider = timeProvider;
        Metrics = metrics;
        Logger = logger;
        Codec = new InvocationCodec(registry);
        metrics.ObserveDirectory(this);
    }

    public GrainTypeRegistry Registry { get; }

    public InvocationCodec Codec { get; }

    public TimeProvider TimeProvider { get; }

    /// <summary>Number of activations in this silo.</summary>
    public int ActivationCount => _directory.Count;

    internal GrainActivator Activator { get; }

    internal RuntimeMetrics Metrics { get; }

    internal ILogger Logger { get; }

    /// <summary>The idle collection started by the last tick of the collection timer.</summary>
    internal Task LastCollection { get; private set; } = Task.CompletedTask;

    internal IEnumerable<ActivationData> Activations => _directory.Values;

    public TGrainInterface GetGrain<TGrainInterface>(string key)
        where TGrainInterface : IGrainWithStringKey
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        // DispatchProxy.Create is slow; copying one prototype proxy per interface is ~4x cheaper.
        var prototype = _prototypes.GetOrAdd(typeof(TGrainInterface), static (type, runtime) =>
        {
            var proxy = (GrainReference)CreateProxyMethod.MakeGenericMethod(type, typeof(GrainReference)).Invoke(null, null)!;
            proxy.Bind(runtime, runtime.Registry.Get(type), default);
            return proxy;
        }, this);
        return (TGrainInterface)(object)prototype.WithKey(key);
    }

    /// <summary>Activation counts by grain type.</summary>
    public IReadOnlyDictionary<string, int> CountActivationsByType() =>
        _directory.Values.GroupBy(a => a.Interface.Name).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>Runs an invocation that arrived as a value (e.g. from another silo) and returns its result.</summary>
    public Task<object?> InvokeAsync(GrainInvocation invocation)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var method = Registry.GetMethod(invocation.Target.Type, invocation.Method);
        var completion = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
        Dispatch(invocation.Target, new InvocationTurn(method, invocation.Arguments, method.IsOneWay ? null : completion));
        if (method.IsOneWay)
        {
            completion.SetResult(null);
        }

        return completion.Task;
    }

    /// <summary>Deactivates a grain if it is active here (its state is written by its OnDeactivateAsync).</summary>
    public Task DeactivateAsync(GrainId grainId) =>
        _directory.TryGetValue(grainId, out var activation)
            ? activation.RequestDeactivation(DeactivationReason.ApplicationRequested)
            : Task.CompletedTask;

    /// <summary>Starts the idle collector.</summary>
    public void Start()
    {
        var quantum = _options.CollectionQuantum;
        _collectionTimer = TimeProvider.CreateTimer(
            static state => ((GrainRuntime)state!).OnCollectionTimer(), this, quantum, quantum);
    }

    /// <summary>Deactivates every grain (each writes its state in OnDeactivateAsync) and refuses new calls.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        if (_collectionTimer is not null)
        {
            await _collectionTimer.DisposeAsync();
        }

        var deactivations = _directory.Values.Select(a => a.RequestDeactivation(DeactivationReason.Shutdown)).ToList();
        await Task.WhenAll(deactivations).WaitAsync(_options.DeactivationTimeout, cancellationToken);
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);

    /// <summary>Deactivates activations idle for longer than the collection age.</summary>
    internal Task CollectIdleActivationsAsync()
    {
        var cutoff = TimeProvider.GetUtcNow().UtcTicks - _options.CollectionAge.Ticks;
        var collected = _directory.Values
            .Where(a => a.IsCollectable && a.LastActiveTicks <= cutoff)
            .Select(a => a.RequestDeactivation(DeactivationReason.IdleTimeout))
            .ToList();
        return Task.WhenAll(collected);
    }

    internal object Invoke(GrainId grainId, GrainMethod method, object?[] arguments)
    {
        if (_options.RoundTripCallsThroughCodec)
        {
            // Proves in-process calls survive the wire form a remote call will use.
            arguments = Codec.Deserialize(Codec.Serialize(new GrainInvocation(grainId, method.Name, arguments))).Arguments;
        }

        if (method.IsOneWay)
        {
            Dispatch(grainId, new InvocationTurn(method, arguments, null));
            return method.Kind == ReturnKind.ValueTask ? default(ValueTask) : Task.CompletedTask;
        }

        var completion = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
        Dispatch(grainId, new InvocationTurn(method, arguments, completion));
        return method.ToCallerResult(completion.Task);
    }

    internal void Dispatch(GrainId grainId, Turn turn)
    {
        while (true)
        {
            if (_stopping && !_directory.ContainsKey(grainId))
            {
                turn.Fail(new GrainRuntimeStoppedException(grainId));
                return;
            }

            var activation = _directory.GetOrAdd(
                grainId,
                static (id, runtime) => new ActivationData(runtime, runtime.Registry.Get(id.Type), id),
                this);
            if (activation.TryEnqueue(turn))
            {
                return;
            }

            // That activation has retired; drop its entry and route to a fresh one.
            _directory.TryRemove(new KeyValuePair<GrainId, ActivationData>(grainId, activation));
        }
    }

    internal void RemoveActivation(ActivationData activation) =>
        _directory.TryRemove(new KeyValuePair<GrainId, ActivationData>(activation.GrainId, activation));

    private void OnCollectionTimer()
    {
        var previous = LastCollection;
        LastCollection = Task.WhenAll(previous, CollectIdleActivationsAsync());
    }
}
