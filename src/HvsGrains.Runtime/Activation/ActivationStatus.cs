namespace HvsGrains.Runtime.Activation;

internal enum ActivationStatus
{
    /// <summary>Created in the directory; the grain object is made by the first turn.</summary>
    Created,
    Valid,
    Deactivating,
    /// <summary>Gone: calls still queued are forwarded to a fresh activation.</summary>
    Invalid,
}
