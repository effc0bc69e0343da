namespace HvsGrains.Runtime.Activation;

/// <summary>One unit of work of an activation; turns of one activation never overlap.</summary>
internal abstract class Turn
{
    /// <summary>The metric tag for this turn (a method name, "timer" or "deactivate").</summary>
    public abstract string Name { get; }

    /// <summary>The metric tag naming what this turn ran (a grain method, "timer" or "deactivate").</summary>
    public virtual KeyValuePair<string, object?> MethodTag => new("grain.method", Name);

    /// <summary>Runs the turn; must not throw: failures go to the caller.</summary>
    public abstract ValueTask RunAsync(ActivationData activation, Grain grain);

    /// <summary>Fails the turn without running it (activation failed, runtime stopped).</summary>
    public abstract void Fail(Exception exception);
}
