using System.Globalization;
using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.Modules;

namespace HvsGrains.Grains.Racks;

/// <summary>
/// Judges one rack as one physical picture: each module's own level (its sensors, never a gas it shares),
/// its deviation from its peers, the model where a peer deviation corroborates it, and the rack's gas,
/// which counts fully only with a module heating beside it; gas with the hydrogen signature of battery
/// off-gas but no heating module reaches Warning, gas without it (exhaust, smoke) Watch. The result names
/// the module most likely at fault and the evidence. Pure: the caller keeps the memory (hysteresis).
/// Used by the rack grain and by the evaluation of the deployed policy (hvs-sim evaluate).
/// </summary>
public sealed class RackEventAssessor(HazardRuleOptions rules, RackEvidenceOptions options)
{
    public (RackEvent Event, RackEventMemory Memory) Assess(IReadOnlyCollection<ModuleReport> modules, GasSample? rackGas, RackEventMemory previous, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(modules);
        ArgumentNullException.ThrowIfNull(previous);
        var ordered = modules.OrderBy(m => m.ModuleId, StringComparer.Ordinal).ToArray();
        var deviations = new PeerDeviation[ordered.Length];
        PeerComparison.Compare(ordered.Select(m => m.Peer).ToArray(), deviations);

        var levels = new HazardLevel[ordered.Length];
        var peerLevels = new HazardLevel[ordered.Length];
        for (var i = 0; i < ordered.Length; i++)
        {
            peerLevels[i] = PeerLevel(deviations[i]);
            var model = peerLevels[i] >= HazardLevel.Watch ? ordered[i].ModelLevel : HazardLevel.Normal;
            levels[i] = Max(OwnLevel(ordered[i], deviations[i]), Max(peerLevels[i], model));
        }

        var (gas, localSource) = GasOf(ordered, rackGas);
        if (localSource is { } source)
        {
            levels[source] = Max(levels[source], HazardLevel.Watch); // its own sensor smells what its peers' do not
        }

        var suspect = -1;
        for (var i = 0; i < ordered.Length; i++)
        {
            if (levels[i] >= HazardLevel.Watch
                && (suspect < 0 || levels[i] > levels[suspect]
                    || (levels[i] == levels[suspect] && (deviations[i].TempAboveMedianC ?? 0) > (deviations[suspect].TempAboveMedianC ?? 0))))
            {
                suspect = i;
            }
        }

        var gasLevel = gas is null ? HazardLevel.Normal : GasLevel(gas);
        var signature = gas is not null && HasVentSignature(gas);
        var allowedGas = suspect >= 0 ? gasLevel : Min(gasLevel, signature ? HazardLevel.Warning : HazardLevel.Watch);
        var raw = Max(suspect >= 0 ? levels[suspect] : HazardLevel.Normal, allowedGas);
        // A rise the suspect's own figures make dates from its report that showed it, not from the rack's newest report:
        // in a cluster a peer's whole batch may be known first, and a rise dated by it would wait for reports the suspect
        // already sent. A rise the gas makes dates from now (a silent module's old report must not date it).
        var seenAt = suspect >= 0 && levels[suspect] >= allowedGas && ordered[suspect].At < now ? ordered[suspect].At : now;
        var memory = Hold(previous, raw, now, seenAt);

        var evidence = new List<string>();
        if (suspect >= 0)
        {
            Describe(ordered[suspect], deviations[suspect], peerLevels[suspect], evidence);
        }

        if (gas is not null && gasLevel >= HazardLevel.Watch)
        {
            evidence.Add(DescribeGas(gas, signature, suspect >= 0));
        }

        var affected = Enumerable.Range(0, ordered.Length)
            .Where(i => i != suspect && levels[i] >= HazardLevel.Watch)
            .Select(i => ordered[i].ModuleId)
            .ToList();
        var suspectId = suspect >= 0 ? ordered[suspect].ModuleId : null;
        var summary = memory.Level == HazardLevel.Normal ? "Nothing above Normal"
            : suspectId is not null ? $"{suspectId} most likely at fault: " + string.Join("; ", evidence.Select(Text))
            : evidence.Count > 0 ? "No module heating: " + string.Join("; ", evidence.Select(Text))
            : "Holding while the evidence clears";
        return (new RackEvent(memory.Level, suspectId, summary, evidence, affected, now), memory);
    }

    /// <summary>
    /// A module's own level, above Watch only while its figures now stand out: hotter or sagging against its
    /// peers, or hot outright. Its rules hold a level for minutes after a one-reading spike; the rack does not.
    /// </summary>
    private HazardLevel OwnLevel(ModuleReport module, PeerDeviation deviation)
    {
        if (module.Level <= HazardLevel.Watch || deviation.TempAboveMedianC is null)
        {
            return module.Level; // without peers to compare with, the module's word stands
        }

        var standsOut = deviation.TempAboveMedianC >= options.TempAboveMedianC.Watch
            || deviation.VoltageSagPercent >= options.WatchVoltageSagPercent
            || module.MaxSurfaceTempC >= rules.MaxSurfaceTempC.Warning;
        return standsOut ? module.Level : HazardLevel.Watch;
    }

    /// <summary>The level peer deviation alone gives a module.</summary>
    public HazardLevel PeerLevel(PeerDeviation deviation)
    {
        var level = HazardLevel.Normal;
        var rise = deviation.RiseAboveMedianC ?? 0;
        if (deviation.TempAboveMedianC is { } above)
        {
            level = options.TempAboveMedianC.LevelOf(above);
            if (level > HazardLevel.Watch && rise < options.WarningRiseAboveMedianC)
            {
                level = HazardLevel.Watch; // hot but no longer running away from its peers: a drifting sensor, a weak cell
            }
        }

        if (rise >= options.WatchRiseAboveMedianC || deviation.VoltageSagPercent >= options.WatchVoltageSagPercent)
        {
            level = Max(level, HazardLevel.Watch);
        }

        return level;
    }

    public bool HasVentSignature(GasSample gas)
    {
        ArgumentNullException.ThrowIfNull(gas);
        var h2 = gas.H2Ppm ?? 0;
        return h2 >= (rules.H2Ppm.Watch ?? double.MaxValue) && h2 >= options.VentH2ToCoRatio * (gas.CoPpm ?? 0);
    }

    private HazardLevel GasLevel(GasSample gas) => Max(
        gas.CoPpm is { } co ? rules.CoPpm.LevelOf(co) : HazardLevel.Normal,
        Max(gas.H2Ppm is { } h2 ? rules.H2Ppm.LevelOf(h2) : HazardLevel.Normal, gas.VocPpm is { } voc ? rules.VocPpm.LevelOf(voc) : HazardLevel.Normal));

    /// <summary>
    /// The rack's gas: its detector's reading, else the newest a module carried. Where modules have sensors
    /// of their own, also the module whose gas stands out from its peers' (a local source), or -1.
    /// </summary>
    private (GasSample? Gas, int? LocalSource) GasOf(ModuleReport[] modules, GasSample? rackGas)
    {
        GasSample? newest = null;
        int? local = null;
        var own = new List<(int Index, double Ppm)>();
        for (var i = 0; i < modules.Length; i++)
        {
            if (modules[i].Gas is not { IsEmpty: false } gas)
            {
                continue;
            }

            if (newest is null || gas.At > newest.At || (gas.ModuleId is not null && Total(gas) > Total(newest)))
            {
                newest = gas;
            }

            if (gas.ModuleId is not null)
            {
                own.Add((i, Total(gas)));
            }
        }

        if (own.Count > PeerComparison.MinPeers)
        {
            var (index, ppm) = own.MaxBy(o => o.Ppm);
            var others = own.Where(o => o.Index != index).Select(o => o.Ppm).Order().ToList();
            var median = others[others.Count / 2];
            if (ppm >= options.LocalGasFactor * Math.Max(median, 1) && GasLevel(modules[index].Gas!) >= HazardLevel.Watch)
            {
                local = index;
                newest = modules[index].Gas;
            }
        }

        return (rackGas is { IsEmpty: false } ? rackGas : newest, local);
    }

    private static double Total(GasSample gas) => (gas.CoPpm ?? 0) + (gas.H2Ppm ?? 0) + (gas.VocPpm ?? 0);

    private RackEventMemory Hold(RackEventMemory previous, HazardLevel raw, DateTimeOffset now, DateTimeOffset seenAt)
    {
        if (raw > previous.Level && raw > HazardLevel.Watch)
        {
            var rising = previous.RisingSince ?? seenAt;
            return now - rising >= options.ConfirmationTime
                ? new RackEventMemory(raw, null)
                : new RackEventMemory(Max(previous.Level, HazardLevel.Watch), null, rising);
        }

        if (raw >= previous.Level)
        {
            return raw == previous.Level && previous.ClearingSince is null && previous.RisingSince is null ? previous : new RackEventMemory(raw, null);
        }

        var since = previous.ClearingSince ?? now;
        return now - since >= rules.ClearHoldTime ? new RackEventMemory(raw, null) : new RackEventMemory(previous.Level, since);
    }

    private static void Describe(ModuleReport module, PeerDeviation deviation, HazardLevel peerLevel, List<string> evidence)
    {
        if (peerLevel >= HazardLevel.Watch)
        {
            evidence.Add(string.Create(CultureInfo.InvariantCulture,
                $"peer: max surface {module.MaxSurfaceTempC:0.#} °C, {deviation.TempAboveMedianC:0.#} °C above the rack's median; rose {module.RiseC:0.#} °C in 10 min, {deviation.RiseAboveMedianC:0.#} °C more than its peers")
                + (deviation.VoltageSagPercent is >= 1 ? string.Create(CultureInfo.InvariantCulture, $"; voltage {deviation.VoltageSagPercent:0.#} % below its peers") : ""));
        }

        if (module.Level >= HazardLevel.Watch && module.TopReason is { } reason)
        {
            evidence.Add($"module: {reason}");
        }

        if (module.ModelLevel >= HazardLevel.Watch && module.HazardProbability is { } p)
        {
            evidence.Add(string.Create(CultureInfo.InvariantCulture, $"model: runaway probability {p:0.00} ({module.ModelLevel})"));
        }
    }

    private static string DescribeGas(GasSample gas, bool signature, bool heatingModule)
    {
        var where = gas.ModuleId is null ? "rack detector" : $"{gas.ModuleId}'s own sensor";
        var figures = string.Create(CultureInfo.InvariantCulture, $"CO {gas.CoPpm ?? 0:0.#}, H2 {gas.H2Ppm ?? 0:0.#}, VOC {gas.VocPpm ?? 0:0.#} ppm ({where})");
        var judgement = heatingModule ? (signature ? "battery off-gas beside a heating module" : "beside a heating module")
            : signature ? "hydrogen signature of battery off-gas, no module heating yet"
            : "no hydrogen signature and no module heating: not reported as battery venting";
        return $"gas: {figures}, {judgement}";
    }

    // Evidence lines are "kind: text"; the summary shows the text.
    private static string Text(string evidence) => evidence.Split(": ", 2) is [_, var text] ? text : evidence;

    private static HazardLevel Max(HazardLevel a, HazardLevel b) => a > b ? a : b;

    private static HazardLevel Min(HazardLevel a, HazardLevel b) => a < b ? a : b;
}
