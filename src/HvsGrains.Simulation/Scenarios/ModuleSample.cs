using HvsGrains.Grains.Readings;

namespace HvsGrains.Simulation.Scenarios;

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

/// <summary>One module at one sample time: ids, truth, the domain reading its sensors report
/// (<see cref="SensorReading"/>, the same record the front door and the module grain take) and its fault/PNR.</summary>
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
