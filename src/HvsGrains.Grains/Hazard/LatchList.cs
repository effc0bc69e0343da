namespace HvsGrains.Grains.Hazard;

/// <summary>
/// One evaluation's latches above Normal, in rule order, with their reasons. When they are the
/// previous latches, unchanged and in the same order, it hands back the previous list itself, so the
/// memory of a steady module can be reused as it is.
/// </summary>
internal struct LatchList(HazardMemory previous)
{
    private readonly IReadOnlyList<RuleLatch> _previous = previous.Latches;
    private List<RuleLatch>? _latches;
    private List<HazardReason>? _reasons;
    private bool _asBefore = true;
    private HazardLevel _level;

    public void Add((RuleLatch? Latch, HazardReason? Reason) rule)
    {
        if (rule.Latch is not { } latch)
        {
            return;
        }

        var index = _latches?.Count ?? 0;
        _asBefore = _asBefore && index < _previous.Count && ReferenceEquals(_previous[index], latch);
        (_latches ??= []).Add(latch);
        if (rule.Reason is { } reason)
        {
            (_reasons ??= []).Add(reason);
        }

        _level = latch.Level > _level ? latch.Level : _level;
    }

    /// <summary>The module level (the highest latch), the latches, and the reasons highest level first (in rule order within a level).</summary>
    public readonly (HazardLevel Level, IReadOnlyList<RuleLatch> Latches, IReadOnlyList<HazardReason> Reasons) Finish()
    {
        var count = _latches?.Count ?? 0;
        var latches = _asBefore && count == _previous.Count ? _previous : (IReadOnlyList<RuleLatch>?)_latches ?? [];
        return (_level, latches, HighestFirst(_reasons));
    }

    private static IReadOnlyList<HazardReason> HighestFirst(List<HazardReason>? reasons)
    {
        if (reasons is null)
        {
            return [];
        }

        var ordered = new List<HazardReason>(reasons.Count);
        for (var level = HazardLevel.Critical; level >= HazardLevel.Normal; level--)
        {
            foreach (var reason in reasons)
            {
                if (reason.Level == level)
                {
                    ordered.Add(reason);
                }
            }
        }

        return ordered;
    }
}
