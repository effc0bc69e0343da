namespace HvsGrains.Simulation.Scenarios;

/// <summary>Rack air supply / building climate over the day.</summary>
public enum AmbientProfileKind
{
    /// <summary>HVAC holds ~22 °C.</summary>
    Controlled,

    /// <summary>HVAC partly follows the outdoor day cycle (±2 °C).</summary>
    DayCycle,

    /// <summary>Hot outdoor afternoon beyond the HVAC's capacity.</summary>
    SummerAfternoon,

    /// <summary>HVAC fails at the fault start: warm building air, natural ventilation only.</summary>
    HvacFailure,
}

/// <summary>String current over the day.</summary>
public enum LoadProfileKind
{
    Idle,
    /// <summary>Charge at night (0.25 C), discharge in the evening peak (0.3 C).</summary>
    DailyCycle,
    /// <summary>Back-to-back 1 C charge/discharge cycles.</summary>
    HighLoad,
    /// <summary>Random ±0.5 C regulation signal (Ornstein–Uhlenbeck).</summary>
    FrequencyRegulation,
}

/// <summary>Sensor defect injected by a <see cref="FaultType.SensorFault"/> scenario (severity 1..5).</summary>
public enum SensorFaultKind
{
    None = 0,
    Stuck = 1,
    Drift = 2,
    Spikes = 3,
    Dropouts = 4,
    Outliers = 5,
}

/// <summary>Where a site's gas sensors are: a site setting of the simulator.</summary>
public enum GasSensing
{
    /// <summary>Every module reading carries its rack's gas (the seed data's format; what the model was trained on).</summary>
    SharedInModuleReadings,

    /// <summary>One gas detector per rack, sending readings of its own (no module id); module readings carry no gas.</summary>
    PerRack,

    /// <summary>A gas sensor at every module: the rack air plus the module's own plume.</summary>
    PerModule,
}
