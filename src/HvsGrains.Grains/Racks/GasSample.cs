namespace HvsGrains.Grains.Racks;

/// <summary>
/// One gas reading: CO, H2 and VOC (electrolyte solvent vapour) in ppm at sensor time <paramref name="At"/>.
/// <paramref name="ModuleId"/> names the module whose own sensor read it, null for the rack's detector.
/// </summary>
[GenerateSerializer, Immutable, Alias("hvs.gas-sample")]
public sealed record GasSample([Id(0)] double? CoPpm, [Id(1)] double? H2Ppm, [Id(2)] double? VocPpm, [Id(3)] DateTimeOffset At, [Id(4)] string? ModuleId = null)
{
    public bool IsEmpty => CoPpm is null && H2Ppm is null && VocPpm is null;

    /// <summary>True when any gas moved by at least 1 ppm and 10 %: smaller moves are sensor noise to a rack.</summary>
    public static bool DiffersMaterially(GasSample? before, GasSample? now) =>
        before is null != now is null
        || (before is not null && now is not null
            && (Moved(before.CoPpm, now.CoPpm) || Moved(before.H2Ppm, now.H2Ppm) || Moved(before.VocPpm, now.VocPpm)));

    private static bool Moved(double? before, double? now) =>
        before.HasValue != now.HasValue || (before is { } b && now is { } n && Math.Abs(n - b) >= Math.Max(1.0, 0.1 * Math.Max(b, n)));
}
