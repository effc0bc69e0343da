namespace HvsGrains.Runtime;

/// <summary>Why an activation is being deactivated.</summary>
public enum DeactivationReason
{
    IdleTimeout,
    ApplicationRequested,
    Shutdown,
}
