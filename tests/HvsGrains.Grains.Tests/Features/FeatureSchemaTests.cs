using HvsGrains.Grains.Features;

namespace HvsGrains.Grains.Tests.Features;

public class FeatureSchemaTests
{
    [Fact]
    public void Names_are_unique_ordered_and_match_the_vector_length()
    {
        var names = FeatureVector.FeatureNames;
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Equal("Module_Voltage_V", names[0]);
        Assert.Contains("Delta_Module_Avg_Surface_Temp_C", names);
        Assert.Contains("Rate_Module_Avg_Surface_Temp_C_per_s", names);
        Assert.Contains("Rolling_mean_1m_Module_Avg_Surface_Temp_C", names);
        Assert.Contains("Rolling_std_5m_Sim_OffGas_H2_ppm_proxy", names);
        Assert.Contains("Rolling_std_10m_Ambient_Temp_C", names);
        Assert.Contains("Surface_Spread_Max_minus_Avg_C", names);
        Assert.Contains("Surface_Avg_minus_Ambient_C", names);

        var state = new ModuleFeatureState(TestReadings.Module);
        state.Apply(TestReadings.At(0));
        Assert.Equal(names.Count, state.Current!.Values.Count);
    }

    [Fact]
    public void Hash_is_stable_and_changes_when_names_change()
    {
        var schema = FeatureSchema.Current;
        var names = schema.Names.ToList();
        Assert.Equal(schema.Hash, FeatureSchema.ComputeHash(names));
        Assert.True(schema.Matches(names));
        Assert.Matches("^[0-9a-f]{64}$", schema.Hash);

        var renamed = names.ToList();
        renamed[3] += "_x";
        var reordered = names.ToList();
        (reordered[0], reordered[1]) = (reordered[1], reordered[0]);
        var shorter = names.Take(names.Count - 1).ToList();

        foreach (var changed in new[] { renamed, reordered, shorter })
        {
            Assert.NotEqual(schema.Hash, FeatureSchema.ComputeHash(changed));
            Assert.False(schema.Matches(changed));
        }
    }

    [Fact]
    public void Unknown_feature_name_throws_instead_of_reading_zero()
    {
        var state = new ModuleFeatureState(TestReadings.Module);
        state.Apply(TestReadings.At(0));
        Assert.Throws<KeyNotFoundException>(() => state.Current!.Get("Module_Avg_Surface_Temp"));
        Assert.Equal(-1, FeatureSchema.Current.IndexOf("nope"));
    }
}
