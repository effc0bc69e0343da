using System.Linq.Expressions;
using System.Reflection;

namespace HvsGrains.Runtime.Invocation;

/// <summary>A grain interface method with a compiled invoker and its result adapter.</summary>
internal sealed class GrainMethod
{
    private static readonly MethodInfo FromTaskMethod = typeof(GrainMethod).GetMethod(nameof(FromTask), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo FromTaskOfTMethod = typeof(GrainMethod).GetMethod(nameof(FromTaskOfT), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo FromValueTaskMethod = typeof(GrainMethod).GetMethod(nameof(FromValueTask), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo FromValueTaskOfTMethod = typeof(GrainMethod).GetMethod(nameof(FromValueTaskOfT), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo ToTaskOfTMethod = typeof(GrainMethod).GetMethod(nameof(ToTaskOfT), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo ToValueTaskOfTMethod = typeof(GrainMethod).GetMethod(nameof(ToValueTaskOfT), BindingFlags.NonPublic | BindingFlags.Static)!;

    public GrainMethod(GrainInterface owner, MethodInfo method)
    {
        Owner = owner;
        Info = method;
        Name = method.Name;
        ParameterTypes = method.GetParameters().Select(p => p.ParameterType).ToArray();
        MethodTag = new KeyValuePair<string, object?>("grain.method", Name);
        IsOneWay = method.IsDefined(typeof(OneWayAttribute), inherit: false);
        (Kind, ResultType) = Classify(method);
        if (IsOneWay && Kind is ReturnKind.TaskOfT or ReturnKind.ValueTaskOfT)
        {
            throw new InvalidOperationException($"{owner.Name}.{Name} is [OneWay] but returns a value; one-way calls return Task or ValueTask.");
        }

        Invoke = CompileInvoker(method, Kind, ResultType);
        ToCallerResult = CompileCallerAdapter(Kind, ResultType);
    }

    public GrainInterface Owner { get; }

    public MethodInfo Info { get; }

    public string Name { get; }

    public Type[] ParameterTypes { get; }

    /// <summary>The metric tag naming this method, made once.</summary>
    public KeyValuePair<string, object?> MethodTag { get; }

    public bool IsOneWay { get; }

    public ReturnKind Kind { get; }

    /// <summary>The T of Task&lt;T&gt;/ValueTask&lt;T&gt;, or null.</summary>
    public Type? ResultType { get; }

    /// <summary>Calls the method on a grain object and returns its result as an object.</summary>
    public Func<object, object?[], ValueTask<object?>> Invoke { get; }

    /// <summary>Turns the runtime's Task&lt;object?&gt; into what the interface method returns.</summary>
    public Func<Task<object?>, object> ToCallerResult { get; }

    private static (ReturnKind, Type?) Classify(MethodInfo method)
    {
        var type = method.ReturnType;
        if (type == typeof(Task))
        {
            return (ReturnKind.Task, null);
        }

        if (type == typeof(ValueTask))
        {
            return (ReturnKind.ValueTask, null);
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Task<>))
        {
            return (ReturnKind.TaskOfT, type.GetGenericArguments()[0]);
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ValueTask<>))
        {
            return (ReturnKind.ValueTaskOfT, type.GetGenericArguments()[0]);
        }

        throw new InvalidOperationException(
            $"{method.DeclaringType?.Name}.{method.Name} returns {type.Name}; grain methods return Task, Task<T>, ValueTask or ValueTask<T>.");
    }

    private static Func<object, object?[], ValueTask<object?>> CompileInvoker(MethodInfo method, ReturnKind kind, Type? resultType)
    {
        var grain = Expression.Parameter(typeof(object), "grain");
        var args = Expression.Parameter(typeof(object?[]), "args");
        var parameters = method.GetParameters();
        var callArgs = parameters.Select((p, i) =>
            (Expression)Expression.Convert(Expression.ArrayIndex(args, Expression.Constant(i)), p.ParameterType));
        var call = Expression.Call(Expression.Convert(grain, method.DeclaringType!), method, callArgs);
        var adapter = kind switch
        {
            ReturnKind.Task => FromTaskMethod,
            ReturnKind.ValueTask => FromValueTaskMethod,
            ReturnKind.TaskOfT => FromTaskOfTMethod.MakeGenericMethod(resultType!),
            _ => FromValueTaskOfTMethod.MakeGenericMethod(resultType!),
        };
        var body = Expression.Call(adapter, call);
        return Expression.Lambda<Func<object, object?[], ValueTask<object?>>>(body, grain, args).Compile();
    }

    private static Func<Task<object?>, object> CompileCallerAdapter(ReturnKind kind, Type? resultType)
    {
        var task = Expression.Parameter(typeof(Task<object?>), "task");
        Expression body = kind switch
        {
            ReturnKind.Task => task,
            ReturnKind.ValueTask => Expression.New(typeof(ValueTask).GetConstructor([typeof(Task)])!, task),
            ReturnKind.TaskOfT => Expression.Call(ToTaskOfTMethod.MakeGenericMethod(resultType!), task),
            _ => Expression.Call(ToValueTaskOfTMethod.MakeGenericMethod(resultType!), task),
        };
        return Expression.Lambda<Func<Task<object?>, object>>(Expression.Convert(body, typeof(object)), task).Compile();
    }

    private static ValueTask<object?> FromTask(Task task) =>
        task.IsCompletedSuccessfully ? new ValueTask<object?>((object?)null) : AwaitTask(task);

    private static async ValueTask<object?> AwaitTask(Task task)
    {
        await task;
        return null;
    }

    private static ValueTask<object?> FromValueTask(ValueTask task) =>
        task.IsCompletedSuccessfully ? new ValueTask<object?>((object?)null) : AwaitTask(task.AsTask());

    private static ValueTask<object?> FromTaskOfT<T>(Task<T> task) =>
        task.IsCompletedSuccessfully ? new ValueTask<object?>(task.Result) : AwaitTaskOfT(task);

    private static async ValueTask<object?> AwaitTaskOfT<T>(Task<T> task) => await task;

    private static ValueTask<object?> FromValueTaskOfT<T>(ValueTask<T> task) =>
        task.IsCompletedSuccessfully ? new ValueTask<object?>(task.Result) : AwaitTaskOfT(task.AsTask());

    private static async Task<T> ToTaskOfT<T>(Task<object?> task) => (T)(await task)!;

    private static ValueTask<T> ToValueTaskOfT<T>(Task<object?> task) => new(ToTaskOfT<T>(task));
}
