using System.Text.Json;
using HvsGrains.Grains.Features;
using HvsGrains.Grains.Hazard;

namespace HvsGrains.Grains.Tests.Hazard;

public class HazardPolicyTests
{
    private static readonly DateTimeOffset T0 = TestReadings.Start;
    private readonly HazardPolicy _policy = new(new HazardRuleOptions());

    // For the model-level tests: the model's level counts from its first reading and needs no rule beside it.
    private readonly HazardPolicy _unconfirmed = new(new HazardRuleOptions { ModelConfirmationReadings = 1, ModelNeedsCorroboration = false });

    private static HazardInputs Temp(double maxSurface) => new(maxSurface, 0, 0, 0, 0, 51.2, 0, 60);

    [Fact]
    public void Heating_sequence_climbs_normal_watch_warning_critical_in_order()
    {
        var state = new ModuleFeatureState(TestReadings.Module);
        var memory = HazardMemory.Initial;
        var levels = new List<HazardLevel>();
        // Self-heating: slow drift that accelerates (doubling rate every ~2 min), 1 reading/s for 20 min.
        for (var s = 0; s <= 1200; s++)
        {
            var temp = 25 + (0.5 * (Math.Exp(s / 170.0) - 1));
            state.Apply(TestReadings.At(s, tempC: Math.Min(temp, 900)));
            var decision = _policy.Evaluate(state.Current!, null, null, memory, TestReadings.Start.AddSeconds(s));
            memory = decision.Memory;
            levels.Add(decision.Assessment.Level);
        }

        Assert.Equal(HazardLevel.Normal, levels[0]);
        var distinct = levels.Distinct().ToList();
        Assert.Equal([HazardLevel.Normal, HazardLevel.Watch, HazardLevel.Warning, HazardLevel.Critical], distinct);
        for (var i = 1; i < levels.Count; i++)
        {
            Assert.True(levels[i] >= levels[i - 1], $"level fell at {i} s while heating");
        }
    }

    [Fact]
    public void Reasons_say_why_in_words()
    {
        var decision = _policy.Evaluate(Temp(92.1), null, null, HazardMemory.Initial, T0);
        Assert.Equal(HazardLevel.Warning, decision.Assessment.Level);
        var reason = Assert.Single(decision.Assessment.Reasons);
        Assert.Equal(HazardRuleNames.MaxSurfaceTemp, reason.Rule);
        Assert.Equal("max surface 92.1 °C ≥ warning 80 °C", reason.Detail);
        Assert.Empty(_policy.Evaluate(Temp(30), null, null, HazardMemory.Initial, T0).Assessment.Reasons);
    }

    [Fact]
    public void Level_does_not_drop_while_the_cause_persists()
    {
        var memory = HazardMemory.Initial;
        for (var s = 0; s <= 30 * 60; s += 10)
        {
            var decision = _policy.Evaluate(Temp(s == 0 ? 85 : 77), null, null, memory, T0.AddSeconds(s));
            memory = decision.Memory;
            Assert.Equal(HazardLevel.Warning, decision.Assessment.Level);
        }
    }

    [Fact]
    public void Level_does_not_flap_around_a_threshold()
    {
        var memory = HazardMemory.Initial;
        var changes = 0;
        var last = HazardLevel.Normal;
        for (var i = 0; i < 200; i++)
        {
            var decision = _policy.Evaluate(Temp(i % 2 == 0 ? 79.2 : 80.8), null, null, memory, T0.AddSeconds(i * 5));
            memory = decision.Memory;
            if (decision.Assessment.Level != last)
            {
                changes++;
                last = decision.Assessment.Level;
            }
        }

        Assert.Equal(HazardLevel.Warning, last);
        Assert.Equal(2, changes); // Normal → Watch at 79.2, Watch → Warning at 80.8, then held
    }

    [Fact]
    public void Level_drops_only_after_the_hold_time_once_cool()
    {
        var memory = _policy.Evaluate(Temp(85), null, null, HazardMemory.Initial, T0).Memory;

        // Cooled to 60 °C (below the 75 °C clear level, still above the 55 °C watch threshold).
        var t = T0.AddSeconds(10);
        memory = _policy.Evaluate(Temp(60), null, null, memory, t).Memory;
        var held = _policy.Evaluate(Temp(60), null, null, memory, t.AddSeconds(119));
        Assert.Equal(HazardLevel.Warning, held.Assessment.Level);
        Assert.Contains("holding warning", held.Assessment.Reasons[0].Detail, StringComparison.Ordinal);

        var dropped = _policy.Evaluate(Temp(60), null, null, held.Memory, t.AddSeconds(120));
        Assert.Equal(HazardLevel.Watch, dropped.Assessment.Level);

        memory = dropped.Memory;
        memory = _policy.Evaluate(Temp(30), null, null, memory, t.AddSeconds(130)).Memory;
        Assert.Equal(HazardLevel.Watch, memory.Level);
        Assert.Equal(HazardLevel.Normal, _policy.Evaluate(Temp(30), null, null, memory, t.AddSeconds(250)).Assessment.Level);
    }

    [Fact]
    public void Returning_into_the_band_restarts_the_hold_time()
    {
        var memory = _policy.Evaluate(Temp(85), null, null, HazardMemory.Initial, T0).Memory;
        memory = _policy.Evaluate(Temp(70), null, null, memory, T0.AddSeconds(10)).Memory;
        memory = _policy.Evaluate(Temp(77), null, null, memory, T0.AddSeconds(100)).Memory; // back in the band
        memory = _policy.Evaluate(Temp(70), null, null, memory, T0.AddSeconds(110)).Memory;
        Assert.Equal(HazardLevel.Warning, _policy.Evaluate(Temp(70), null, null, memory, T0.AddSeconds(200)).Assessment.Level);
        Assert.Equal(HazardLevel.Watch, _policy.Evaluate(Temp(70), null, null, memory, T0.AddSeconds(230)).Assessment.Level);
    }

    [Fact]
    public void Model_probability_alone_raises_the_level()
    {
        var normal = Temp(30);
        var watch = _unconfirmed.Evaluate(normal, 0.55, null, HazardMemory.Initial, T0);
        Assert.Equal(HazardLevel.Watch, watch.Assessment.Level);
        var critical = _unconfirmed.Evaluate(normal, 0.95, null, HazardMemory.Initial, T0);
        Assert.Equal(HazardLevel.Critical, critical.Assessment.Level);
        Assert.Equal(HazardRuleNames.Model, Assert.Single(critical.Assessment.Reasons).Rule);

        var ownThresholds = new ModelThresholds(0.1, 0.2, 0.3);
        Assert.Equal(HazardLevel.Warning, _unconfirmed.Evaluate(normal, 0.25, ownThresholds, HazardMemory.Initial, T0).Assessment.Level);
        Assert.Equal(HazardLevel.Normal, _unconfirmed.Evaluate(normal, 0.05, ownThresholds, HazardMemory.Initial, T0).Assessment.Level);
    }

    [Fact]
    public void Final_level_is_the_highest_of_rules_and_model()
    {
        var decision = _unconfirmed.Evaluate(Temp(125), 0.1, null, HazardMemory.Initial, T0);
        Assert.Equal(HazardLevel.Critical, decision.Assessment.Level);
        decision = _unconfirmed.Evaluate(Temp(60), 0.75, null, HazardMemory.Initial, T0);
        Assert.Equal(HazardLevel.Warning, decision.Assessment.Level);
        Assert.Equal(2, decision.Assessment.Reasons.Count);
        Assert.Equal(HazardRuleNames.Model, decision.Assessment.Reasons[0].Rule);
    }

    [Fact]
    public void The_model_alone_raises_only_Watch_until_a_physical_rule_corroborates_it()
    {
        var policy = new HazardPolicy(new HazardRuleOptions { ModelConfirmationReadings = 1 });

        var alone = policy.Evaluate(Temp(30), 0.95, null, HazardMemory.Initial, T0);
        var corroborated = policy.Evaluate(Temp(56), 0.95, null, HazardMemory.Initial, T0);

        Assert.Equal(HazardLevel.Watch, alone.Assessment.Level);
        Assert.Equal(HazardLevel.Critical, corroborated.Assessment.Level);
        Assert.Equal(HazardRuleNames.Model, corroborated.Assessment.Reasons[0].Rule);
    }

    [Fact]
    public void The_model_raises_a_level_only_after_holding_it_for_the_confirmation_readings()
    {
        var policy = new HazardPolicy(new HazardRuleOptions { ModelNeedsCorroboration = false });
        var memory = HazardMemory.Initial;
        var levels = new List<HazardLevel>();
        foreach (var (probability, second) in new[] { (0.95, 0), (0.2, 10), (0.95, 20), (0.95, 30), (0.95, 40), (0.75, 50) })
        {
            var decision = policy.Evaluate(Temp(30), probability, null, memory, T0.AddSeconds(second));
            memory = decision.Memory;
            levels.Add(decision.Assessment.Level);
        }

        // A lone spike is ignored; three in a row raise Critical, which then holds (hysteresis) at 0.75.
        Assert.Equal([HazardLevel.Normal, HazardLevel.Normal, HazardLevel.Normal, HazardLevel.Normal, HazardLevel.Critical, HazardLevel.Critical], levels);
        Assert.Equal(2, memory.RecentModelLevels.Count);
    }

    [Theory]
    [InlineData(30, 0, 0, HazardLevel.Watch)]
    [InlineData(0, 60, 0, HazardLevel.Warning)]
    [InlineData(0, 0, 150, HazardLevel.Critical)]
    public void Off_gas_rules_fire_without_a_model_where_modules_have_gas_sensors_of_their_own(double co, double h2, double voc, HazardLevel expected)
    {
        var inputs = new HazardInputs(30, 0, co, h2, voc, 51.2, 0, 60);
        var ownSensors = new HazardPolicy(new HazardRuleOptions { ModuleGasRules = true });
        Assert.Equal(expected, ownSensors.Evaluate(inputs, null, null, HazardMemory.Initial, T0).Assessment.Level);

        // With the rack's detectors (the default) the gas a module's reading carries is not the module's: the rack judges it.
        Assert.Equal(HazardLevel.Normal, _policy.Evaluate(inputs, null, null, HazardMemory.Initial, T0).Assessment.Level);
    }

    [Fact]
    public void Temperature_rate_rule_fires_on_a_fast_rise_at_low_temperature()
    {
        var inputs = new HazardInputs(45, 12, 0, 0, 0, 51.2, 0, 60);
        var decision = _policy.Evaluate(inputs, null, null, HazardMemory.Initial, T0);
        Assert.Equal(HazardLevel.Critical, decision.Assessment.Level);
        Assert.Equal(HazardRuleNames.TempRate, decision.Assessment.Reasons[0].Rule);
    }

    [Fact]
    public void Voltage_rules_detect_collapse()
    {
        // 51.2 V a minute ago, 47.9 V now: 6.4 % drop.
        var drop = new HazardInputs(30, 0, 0, 0, 0, 47.9, 3.3, 60);
        Assert.Equal(HazardLevel.Warning, _policy.Evaluate(drop, null, null, HazardMemory.Initial, T0).Assessment.Level);

        var low = new HazardInputs(30, 0, 0, 0, 0, 40, 0, 80);
        Assert.Equal(HazardLevel.Normal, _policy.Evaluate(low, null, null, HazardMemory.Initial, T0).Assessment.Level);
        var withFloor = new HazardPolicy(new HazardRuleOptions { VoltageFloorV = 44.8 });
        var decision = withFloor.Evaluate(low, null, null, HazardMemory.Initial, T0);
        Assert.Equal(HazardLevel.Warning, decision.Assessment.Level);
        Assert.Equal(HazardRuleNames.VoltageFloor, decision.Assessment.Reasons[0].Rule);
        var discharged = low with { SocPercent = 5 };
        Assert.Equal(HazardLevel.Normal, withFloor.Evaluate(discharged, null, null, HazardMemory.Initial, T0).Assessment.Level);
    }

    [Fact]
    public void Sensors_that_never_reported_do_not_fire_rules()
    {
        var state = new ModuleFeatureState(TestReadings.Module);
        state.Apply(TestReadings.At(0) with { VoltageV = null, SocPercent = null });
        var inputs = HazardInputs.FromFeatures(state.Current!);
        Assert.Null(inputs.VoltageV);
        Assert.Null(inputs.SocPercent);
        Assert.Equal(26, inputs.MaxSurfaceTempC);
        var withFloor = new HazardPolicy(new HazardRuleOptions { VoltageFloorV = 44.8 });
        Assert.Equal(HazardLevel.Normal, withFloor.Evaluate(inputs, null, null, HazardMemory.Initial, T0).Assessment.Level);
    }

    [Fact]
    public void Memory_round_trips_through_json()
    {
        var memory = _policy.Evaluate(Temp(85), 0.95, null, HazardMemory.Initial, T0).Memory;
        memory = _policy.Evaluate(Temp(60), null, null, memory, T0.AddSeconds(5)).Memory;
        var json = JsonSerializer.Serialize(memory, JsonSerializerOptions.Web);
        var back = JsonSerializer.Deserialize<HazardMemory>(json, JsonSerializerOptions.Web)!;
        Assert.Equal(memory.Level, back.Level);
        Assert.Equal(memory.Latches, back.Latches);
        var a = _policy.Evaluate(Temp(60), null, null, memory, T0.AddSeconds(200)).Assessment;
        var b = _policy.Evaluate(Temp(60), null, null, back, T0.AddSeconds(200)).Assessment;
        Assert.Equal(a.Level, b.Level);
        Assert.Equal(a.Reasons, b.Reasons);
    }

    [Fact]
    public void Invalid_options_are_refused()
    {
        var options = new HazardRuleOptions();
        options.MaxSurfaceTempC.Warning = 50; // below watch 55
        Assert.NotEmpty(options.Validate());
        Assert.Throws<ArgumentException>(() => new HazardPolicy(options));
        Assert.Empty(new HazardRuleOptions().Validate());
    }
}
