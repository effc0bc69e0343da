using HvsGrains.Grains.Anomaly;

namespace HvsGrains.Grains.Tests.Anomaly;

public sealed class AnomalyWatchTests
{
    private static readonly DateTimeOffset T0 = TestReadings.Start;

    [Fact]
    public void An_advisory_is_raised_at_the_threshold_and_clears_only_after_the_score_stayed_below_it_for_the_hold()
    {
        var watch = new AnomalyWatch(TimeSpan.Zero, TimeSpan.FromMinutes(2));

        Assert.False(watch.Observe(0.59, 0.6, T0));
        Assert.Null(watch.Current);
        Assert.True(watch.Observe(0.6, 0.6, T0.AddSeconds(10)));
        Assert.False(watch.Observe(0.55, 0.6, T0.AddSeconds(20))); // below, hold not over
        Assert.False(watch.Observe(0.65, 0.6, T0.AddSeconds(30))); // back above: the hold starts again
        Assert.False(watch.Observe(0.5, 0.6, T0.AddSeconds(40)));
        Assert.False(watch.Observe(0.5, 0.6, T0.AddSeconds(150)));
        Assert.Equal((0.65, T0.AddSeconds(10), T0.AddSeconds(30)), (watch.Current!.Score, watch.Current.FirstSeenAt, watch.Current.LastSeenAt));
        Assert.Contains("unlike normal operation", watch.Current.Reason);
        Assert.Contains("0.600", watch.Current.Reason);

        Assert.True(watch.Observe(0.5, 0.6, T0.AddSeconds(160)));
        Assert.Null(watch.Current);
    }

    [Fact]
    public void One_odd_reading_raises_nothing_a_score_that_stays_up_for_the_raise_hold_does_and_dates_from_its_first_reading()
    {
        var watch = new AnomalyWatch(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2));

        Assert.False(watch.Observe(0.7, 0.6, T0)); // one odd reading
        Assert.False(watch.Observe(0.5, 0.6, T0.AddSeconds(10)));
        Assert.False(watch.Observe(0.7, 0.6, T0.AddSeconds(70))); // up again: the hold starts again here
        Assert.Null(watch.Current);
        Assert.False(watch.Observe(0.66, 0.6, T0.AddSeconds(120)));
        Assert.True(watch.Observe(0.68, 0.6, T0.AddSeconds(130)));
        Assert.Equal((0.68, T0.AddSeconds(70), T0.AddSeconds(130)), (watch.Current!.Score, watch.Current.FirstSeenAt, watch.Current.LastSeenAt));
    }

    [Fact]
    public void Without_a_score_any_more_the_advisory_is_dropped()
    {
        var watch = new AnomalyWatch(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), new AnomalyAdvisory(0.7, 0.6, T0, T0));

        Assert.True(watch.Forget());
        Assert.False(watch.Forget());
        Assert.Null(watch.Current);
    }
}
