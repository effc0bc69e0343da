using HvsGrains.Grains.Features;
using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.ModelScoring.Shadow;

namespace HvsGrains.Grains.Modules;

/// <summary>The module's second opinion while a candidate runs in shadow; nothing of it reaches the module's state or reports.</summary>
public sealed partial class ModuleGrain
{
    private ShadowJudge? _shadow;

    /// <summary>
    /// Judges the reading again with the shadow's score; with no shadow it only forgets a finished trial. Readings
    /// replayed at activation are judged too: a reading that activates its module arrives that way.
    /// </summary>
    private void JudgeShadow(FeatureVector features, ShadowScore? shadow, HazardAssessment active, HazardMemory activeMemory, DateTimeOffset sensorTime)
    {
        if (shadow is null)
        {
            _shadow = null;
            return;
        }

        if (_shadow?.Tally != shadow.Tally)
        {
            _shadow = new ShadowJudge(ModuleId, shadow.Tally, activeMemory);
        }

        _shadow.Judge(policy, features, shadow, active, sensorTime);
    }
}
