using HvsGrains.Grains.Features;
using HvsGrains.Grains.ModelScoring;

namespace HvsGrains.Grains.Tests.ModelScoring;

public sealed class ModelDomainTests
{
    [Theory]
    [InlineData(30, 29, false)]
    [InlineData(139.5, 120, false)]
    [InlineData(141, 100, true)]
    [InlineData(118, 150, true)]
    public void A_surface_hotter_than_any_training_row_is_out_of_the_models_domain(double maxSurface, double avgSurface, bool outside)
    {
        var state = new ModuleFeatureState(TestReadings.Module);
        state.Apply(TestReadings.At(0) with { MaxSurfaceTempC = maxSurface, AvgSurfaceTempC = avgSurface });

        var why = new ModelDomain().Beyond(state.Current);

        Assert.Equal(outside, why is not null);
        if (outside)
        {
            Assert.Contains("above 140 °C", why);
        }
    }

    [Fact]
    public void Before_any_reading_nothing_is_out_of_domain() => Assert.Null(new ModelDomain { MaxSurfaceTempC = 0 }.Beyond(null));
}
