using System.Runtime.InteropServices;

namespace HvsGrains.Scoring.Native;

/// <summary>Owns one ORT object; the matching Release* runs exactly once, even if Dispose is never called.</summary>
internal abstract class OrtHandle : SafeHandle
{
    protected OrtHandle(OrtApi api)
        : base(0, ownsHandle: true) => Api = api;

    protected OrtApi Api { get; }

    public override bool IsInvalid => handle == 0;

    /// <summary>Takes ownership of a freshly created native pointer.</summary>
    internal void Attach(nint value) => SetHandle(value);
}

internal sealed class OrtEnvHandle(OrtApi api) : OrtHandle(api)
{
    protected override unsafe bool ReleaseHandle()
    {
        Api.ReleaseEnv(handle);
        return true;
    }
}

internal sealed class OrtSessionOptionsHandle(OrtApi api) : OrtHandle(api)
{
    protected override unsafe bool ReleaseHandle()
    {
        Api.ReleaseSessionOptions(handle);
        return true;
    }
}

internal sealed class OrtSessionHandle(OrtApi api) : OrtHandle(api)
{
    protected override unsafe bool ReleaseHandle()
    {
        Api.ReleaseSession(handle);
        return true;
    }
}

internal sealed class OrtMemoryInfoHandle(OrtApi api) : OrtHandle(api)
{
    protected override unsafe bool ReleaseHandle()
    {
        Api.ReleaseMemoryInfo(handle);
        return true;
    }
}

internal sealed class OrtModelMetadataHandle(OrtApi api) : OrtHandle(api)
{
    protected override unsafe bool ReleaseHandle()
    {
        Api.ReleaseModelMetadata(handle);
        return true;
    }
}

internal sealed class OrtTypeInfoHandle(OrtApi api) : OrtHandle(api)
{
    protected override unsafe bool ReleaseHandle()
    {
        Api.ReleaseTypeInfo(handle);
        return true;
    }
}
