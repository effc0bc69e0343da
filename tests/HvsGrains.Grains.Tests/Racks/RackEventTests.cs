using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.Modules;
using HvsGrains.Grains.Racks;
using HvsGrains.Grains.Readings;
using HvsGrains.Grains.Tests.Support;
using HvsGrains.Grains.Warehouse;

namespace HvsGrains.Grains.Tests.Racks;

/// <summary>
/// One physical event gives one alarm, through the module, rack and warehouse grains: readings go through
/// the log and the module grains as the front door hands them on; rack gas comes as the rack's own readings.
/// </summary>
[Collection(SingleSiloCollection.Name)]
public sealed class RackEventTests(WarehouseCluster cluster)
{
    private const int Modules = 8;
    private const int Step = 10;

    [Fact]
    public async Task One_venting_module_gives_exactly_one_alarm_naming_it()
    {
        var rack = TestReadings.NewRack();
        var culprit = TestReadings.ModuleOf(rack, 3);
        // 20 min of a module heating away from its peers, then its cell vents into the rack's air.
        await FeedAsync(rack, minutes: 30, tempOf: (slot, s) => slot == 3 ? 26 + Math.Max(0, s - 300) / 60.0 * 2.5 : 26);
        for (var s = 1800; s <= 1900; s += Step)
        {
            await cluster.Grains.GetGrain<IRackGrain>(rack).ReportRackReading(RackGas(rack, s, co: 80, h2: 60, voc: 140));
        }

        await FeedAsync(rack, minutes: 2, tempOf: (slot, s) => slot == 3 ? 95 : 26, fromSeconds: 1800 + Step);

        Assert.True(await Eventually.HoldsAsync(async () => (await AlarmsOf(rack)).Any(a => a.Level == HazardLevel.Critical)));
        var alarms = await AlarmsOf(rack);
        var alarm = Assert.Single(alarms);
        Assert.Equal(AlarmKind.RackEvent, alarm.Kind);
        Assert.Equal(culprit, alarm.ModuleId);
        Assert.Contains(alarm.Evidence, e => e.StartsWith("peer:", StringComparison.Ordinal));
        Assert.Contains(alarm.Evidence, e => e.StartsWith("gas:", StringComparison.Ordinal) && e.Contains("VOC 140", StringComparison.Ordinal));
        Assert.DoesNotContain(alarms, a => a.ModuleId is { } id && id != culprit);
    }

    [Fact]
    public async Task A_heating_module_among_cool_peers_alarms_before_any_gas()
    {
        var rack = TestReadings.NewRack();
        // 0.8 °C/min: below every rule of the module itself (rate 2 °C/min, surface 55 °C) for the whole run.
        await FeedAsync(rack, minutes: 25, tempOf: (slot, s) => slot == 5 ? 26 + Math.Max(0, s - 300) / 60.0 * 0.8 : 26);

        Assert.True(await Eventually.HoldsAsync(async () => (await AlarmsOf(rack)).Count == 1));
        var alarm = Assert.Single(await AlarmsOf(rack));
        Assert.Equal(TestReadings.ModuleOf(rack, 5), alarm.ModuleId);
        Assert.True(alarm.Level >= HazardLevel.Warning);
        Assert.Contains("above the rack's median", alarm.Reason, StringComparison.Ordinal);
        var status = await cluster.Grains.GetGrain<IRackGrain>(rack).GetStatus();
        Assert.Null(status!.Gas);
        Assert.Equal(HazardLevel.Normal, status.Modules.Single(m => m.ModuleId == alarm.ModuleId).Level); // no rule of its own fired
    }

    [Fact]
    public async Task A_rack_warming_together_gives_no_alarm()
    {
        var rack = TestReadings.NewRack();
        // HVAC failure: every module from 26 °C to ~62 °C at 1.2 °C/min, each within sensor noise of the others.
        await FeedAsync(rack, minutes: 30, tempOf: (slot, s) => 26 + (s / 60.0 * 1.2) + (slot % 3 * 0.2));

        var status = await RackStatusAsync(rack, s => s.Modules.Count == Modules && s.Modules.All(m => m.MaxSurfaceTempC > 55));
        Assert.True(status.Modules.All(m => m.Level == HazardLevel.Watch)); // each module's own 55 °C rule says Watch
        Assert.True(status.Event!.Level <= HazardLevel.Watch);
        Assert.Empty(await AlarmsOf(rack));
    }

    [Fact]
    public async Task External_gas_without_a_heating_module_gives_no_alarm()
    {
        var rack = TestReadings.NewRack();
        await FeedAsync(rack, minutes: 12, tempOf: (_, _) => 26);
        // Exhaust drifting in: CO far above its Critical 200 ppm, a little VOC, hardly any hydrogen.
        for (var s = 720; s <= 1320; s += Step)
        {
            await cluster.Grains.GetGrain<IRackGrain>(rack).ReportRackReading(RackGas(rack, s, co: 250, h2: 2, voc: 12));
        }

        await FeedAsync(rack, minutes: 5, tempOf: (_, _) => 26, fromSeconds: 1330);

        var status = await RackStatusAsync(rack, s => s.Gas?.CoPpm == 250 && s.Event?.Level == HazardLevel.Watch);
        Assert.Null(status.Event!.SuspectModuleId);
        Assert.Contains("not reported as battery venting", status.Event.Summary, StringComparison.Ordinal);
        Assert.Empty(await AlarmsOf(rack));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_rise_confirms_in_the_suspects_sensor_time_whatever_order_the_reports_arrive_in(bool newestFirst)
    {
        var rack = TestReadings.NewRack();
        var hot = TestReadings.ModuleOf(rack, 1);
        var grain = cluster.Grains.GetGrain<IRackGrain>(rack);
        ModuleReport Report(string module, HazardLevel level, double temp, int seconds) =>
            new(module, rack, level, temp, 0, null, level > HazardLevel.Normal ? "surface temperature" : null, TestReadings.Start.AddSeconds(seconds));

        // A cluster applies one module's batch at a time: the cool peer's whole batch is known before the hot one's.
        for (var s = 0; s <= 40; s += Step)
        {
            await grain.ReportModule(Report(TestReadings.ModuleOf(rack, 2), HazardLevel.Normal, 27, s));
        }

        // One-way reports may also overtake each other: newest first, then the older ones.
        foreach (var s in newestFirst ? [40, 30, 20, 10, 0] : new[] { 0, 10, 20, 30, 40 })
        {
            await grain.ReportModule(Report(hot, HazardLevel.Critical, 150, s));
        }

        // Hot for 40 s of its own sensor time, longer than the 30 s a rise must hold: confirmed without a later report.
        Assert.True(await Eventually.HoldsAsync(async () => (await AlarmsOf(rack)).Count == 1), "the rise was never confirmed");
        Assert.Equal(hot, Assert.Single(await AlarmsOf(rack)).ModuleId);
        Assert.True(await Eventually.HoldsAsync(async () => (await grain.GetStatus())?.Modules.SingleOrDefault(m => m.ModuleId == hot)?.At == TestReadings.Start.AddSeconds(40)));
    }

    [Fact]
    public async Task A_suspect_gone_silent_after_its_first_hot_report_still_confirms_on_its_peers_clock()
    {
        var rack = TestReadings.NewRack();
        var hot = TestReadings.ModuleOf(rack, 1);
        var peer = TestReadings.ModuleOf(rack, 2);
        var grain = cluster.Grains.GetGrain<IRackGrain>(rack);
        ModuleReport Report(string module, HazardLevel level, double temp, int seconds) =>
            new(module, rack, level, temp, 0, null, level > HazardLevel.Normal ? "surface temperature" : null, TestReadings.Start.AddSeconds(seconds));
        await grain.ReportModule(Report(peer, HazardLevel.Normal, 27, 0));
        await grain.ReportModule(Report(hot, HazardLevel.Critical, 150, 0)); // its sensors lost in the event: never heard again
        await grain.ReportModule(Report(peer, HazardLevel.Normal, 27, Step));

        Assert.True(await Eventually.HoldsAsync(async () => (await grain.GetStatus())?.Modules.SingleOrDefault(m => m.ModuleId == peer)?.At == TestReadings.Start.AddSeconds(Step)));
        Assert.Empty(await AlarmsOf(rack)); // 10 s: not yet the confirmation time
        for (var s = 2 * Step; s <= 40; s += Step)
        {
            await grain.ReportModule(Report(peer, HazardLevel.Normal, 27, s));
        }

        Assert.True(await Eventually.HoldsAsync(async () => (await AlarmsOf(rack)).Count == 1), "the silent suspect's rise was never confirmed");
        Assert.Equal(hot, Assert.Single(await AlarmsOf(rack)).ModuleId);
    }

    private static SensorReading RackGas(string rack, int seconds, double co, double h2, double voc) =>
        new(SensorReading.RackSensorId(rack), rack, TestReadings.Start.AddSeconds(seconds), AmbientTempC: 24, CoPpm: co, H2Ppm: h2, VocPpm: voc);

    /// <summary>Every module of the rack every 10 s for <paramref name="minutes"/>; module readings carry no gas (the rack has a detector).</summary>
    private async Task FeedAsync(string rack, int minutes, Func<int, int, double> tempOf, int fromSeconds = 0)
    {
        // One sample time after the other, as a gateway sends them: a module activated on a log holding
        // everything would replay it at once and tell its rack only the end.
        for (var s = fromSeconds; s < fromSeconds + (minutes * 60); s += Step)
        {
            var readings = Enumerable.Range(1, Modules)
                .Select(slot => TestReadings.At(s, tempOf(slot, s) - 1, module: TestReadings.ModuleOf(rack, slot), rack: rack) with { CoPpm = null, H2Ppm = null, VocPpm = null })
                .ToList();
            await cluster.IngestAsync(readings);
        }
    }

    private async Task<List<Alarm>> AlarmsOf(string rack) =>
        [.. (await cluster.Grains.GetGrain<IWarehouseGrain>("site").GetAlarms(null, null)).Where(a => a.RackId == rack)];

    private async Task<RackStatus> RackStatusAsync(string rack, Func<RackStatus, bool> condition)
    {
        RackStatus? status = null;
        Assert.True(await Eventually.HoldsAsync(async () => (status = await cluster.Grains.GetGrain<IRackGrain>(rack).GetStatus()) is { } s && condition(s)));
        return status!;
    }
}
