namespace HvsGrains.Simulation.Scenarios;

/// <summary>What the module's sensors report; null = missing value / dropout.</summary>
public struct SensorReading
{
    public double? VoltageV;
    public double? CurrentA;
    public double? SocPercent;
    public double? AvgSurfaceTempC;
    public double? MaxSurfaceTempC;
    public double? AmbientTempC;
    public double? CoPpm;
    public double? H2Ppm;
    public double? VocPpm;
}

/// <summary>The simulator's ground truth for one module at one sample time.</summary>
public readonly record struct ModuleTruth(
    double CoreTempC,
    double SurfaceTempC,
    double MaxSurfaceTempC,
    double Soc,
    double CellSoc,
    double CoreRateCPerS,
    double SelfHeatRateCPerMin,
    double IscPowerW,
    bool Vented,
    double AirTempC,
    double CoPpm,
    double H2Ppm,
    double VocPpm);

/// <summary>One module at one sample time: ids, truth, sensor values and its fault/PNR.</summary>
public readonly record struct ModuleSample(
    DateTimeOffset Timestamp,
    double ElapsedS,
    string ScenarioId,
    string RackId,
    string ModuleId,
    int ModuleIndex,
    ModuleTruth Truth,
    SensorReading Sensors,
    FaultType Fault,
    DateTimeOffset? PnrTime);
