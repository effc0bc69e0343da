namespace HvsGrains.Runtime;

/// <summary>A write was based on a version of the state that is no longer the stored one.</summary>
public sealed class InconsistentStateException : Exception
{
    public InconsistentStateException(GrainId grainId, string stateName, string? expectedEtag, string? storedEtag)
        : base($"State '{stateName}' of {grainId} was changed by another writer: this write is based on version " +
               $"{expectedEtag ?? "(none)"} but the stored version is {storedEtag ?? "(none)"}. Re-read the state before writing.")
    {
        GrainId = grainId;
        StateName = stateName;
        ExpectedEtag = expectedEtag;
        StoredEtag = storedEtag;
    }

    public GrainId GrainId { get; }

    public string StateName { get; }

    public string? ExpectedEtag { get; }

    public string? StoredEtag { get; }
}
