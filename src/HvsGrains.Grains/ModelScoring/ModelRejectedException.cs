namespace HvsGrains.Grains.ModelScoring;

/// <summary>A model the silo will not use, with the reason in words (the rules keep protecting).</summary>
public sealed class ModelRejectedException : Exception
{
    public ModelRejectedException(string reason)
        : base(reason)
    {
    }

    public ModelRejectedException(string reason, Exception innerException)
        : base(reason, innerException)
    {
    }
}
