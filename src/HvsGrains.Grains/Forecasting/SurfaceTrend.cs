namespace HvsGrains.Grains.Forecasting;

/// <summary>Steady within ± the rising rate, rising, rising faster the hotter it gets, or falling.</summary>
public enum SurfaceTrend
{
    Steady = 0,
    Rising = 1,
    Accelerating = 2,
    Falling = 3,
}
