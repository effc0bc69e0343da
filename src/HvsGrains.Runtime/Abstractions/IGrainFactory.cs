namespace HvsGrains.Runtime;

/// <summary>Hands out references to grains; callers never hold a grain object.</summary>
public interface IGrainFactory
{
    TGrainInterface GetGrain<TGrainInterface>(string key)
        where TGrainInterface : IGrainWithStringKey;
}
