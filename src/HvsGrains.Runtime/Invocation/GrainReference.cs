using System.Reflection;
using HvsGrains.Runtime.Activation;

namespace HvsGrains.Runtime.Invocation;

/// <summary>
/// The proxy behind every grain interface reference: each interface call becomes a
/// <see cref="GrainInvocation"/> handed to the runtime. Built on the BCL's DispatchProxy.
/// </summary>
public class GrainReference : DispatchProxy
{
    private GrainRuntime? _runtime;
    private GrainInterface? _interface;

    /// <summary>The grain this reference points at.</summary>
    public GrainId GrainId { get; private set; }

    /// <summary>A copy of this reference pointing at another key of the same grain type.</summary>
    internal GrainReference WithKey(string key)
    {
        var copy = (GrainReference)MemberwiseClone();
        copy.GrainId = new GrainId(_interface!.Name, key);
        return copy;
    }

    internal void Bind(GrainRuntime runtime, GrainInterface grainInterface, GrainId grainId)
    {
        _runtime = runtime;
        _interface = grainInterface;
        GrainId = grainId;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        var method = _interface!.MethodsByInfo[targetMethod];
        return _runtime!.Invoke(GrainId, method, args ?? []);
    }

    public override bool Equals(object? obj) => obj is GrainReference other && other.GrainId == GrainId;

    public override int GetHashCode() => GrainId.GetHashCode();

    public override string ToString() => GrainId.ToString();
}
