namespace HvsGrains.Grains.Hazard;

/// <summary>How close a module is to thermal runaway; ordered, so levels compare with &lt; and &gt;.</summary>
[GenerateSerializer, Alias("hvs.hazard-level")]
public enum HazardLevel
{
    Normal = 0,
    Watch = 1,
    Warning = 2,
    Critical = 3,
}
