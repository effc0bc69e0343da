namespace HvsGrains.Grains.Hazard;

/// <summary>Stable rule ids, used in reasons, persisted memory and alarm keys.</summary>
public static class HazardRuleNames
{
    public const string MaxSurfaceTemp = "max-surface-temp";
    public const string TempRate = "temp-rate";
    public const string Co = "off-gas-co";
    public const string H2 = "off-gas-h2";
    public const string Voc = "off-gas-voc";
    public const string VoltageDrop = "voltage-drop";
    public const string VoltageFloor = "voltage-floor";
    public const string Model = "model";
}
