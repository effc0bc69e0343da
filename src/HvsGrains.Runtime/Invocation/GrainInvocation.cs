namespace HvsGrains.Runtime.Invocation;

/// <summary>
/// One call as a value: which grain, which method, which arguments. This is what a mailbox
/// holds and what a transport between silos would carry (see <see cref="InvocationCodec"/>).
/// </summary>
public sealed record GrainInvocation(GrainId Target, string Method, object?[] Arguments);
