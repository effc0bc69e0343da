using HvsGrains.Runtime.Invocation;
using Microsoft.Extensions.Logging;

namespace HvsGrains.Runtime.Activation;

/// <summary>A call to a grain method; <c>completion</c> is null for one-way calls.</summary>
internal sealed class InvocationTurn(GrainMethod method, object?[] arguments, TaskCompletionSource<object?>? completion) : Turn
{
    public GrainMethod Method => method;

    public object?[] Arguments => arguments;

    public override string Name => method.Name;

    public override KeyValuePair<string, object?> MethodTag => method.MethodTag;

    public override async ValueTask RunAsync(ActivationData activation, Grain grain)
    {
        try
        {
            var pending = method.Invoke(grain, arguments);
            var result = pending.IsCompletedSuccessfully ? pending.Result : await pending;
            completion?.TrySetResult(result);
            activation.Runtime.Metrics.CallCompleted(method, failed: false);
        }
#pragma warning disable CA1031 // A grain method's exception belongs to its caller, never to the activation.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            activation.Runtime.Metrics.CallCompleted(method, failed: true);
            if (completion is null)
            {
                activation.Runtime.Logger.LogWarning(exception, "One-way call {Method} on {Grain} failed", method.Name, activation.GrainId);
            }
            else
            {
                completion.TrySetException(exception);
            }
        }
    }

    public override void Fail(Exception exception) => completion?.TrySetException(exception);
}
