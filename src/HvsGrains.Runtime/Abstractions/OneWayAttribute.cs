namespace HvsGrains.Runtime;

/// <summary>
/// Marks a grain method whose caller does not wait for the callee (as Orleans' [OneWay]):
/// the returned task completes once the call is queued, and failures are only logged.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class OneWayAttribute : Attribute;
