namespace HvsGrains.Grains.ModelScoring.Catalog;

/// <summary>
/// What one silo scores with: the model's hash and version, or why the rules decide alone there; and the shadow
/// candidate it runs beside it, or why it refused the site's.
/// </summary>
[GenerateSerializer, Immutable, Alias("hvs.silo-model-report")]
public sealed record SiloModelReport(
    [Id(0)] string Silo,
    [Id(1)] string? Sha256,
    [Id(2)] string? Version,
    [Id(3)] string? Source,
    [Id(4)] string? RulesOnlyReason,
    [Id(5)] DateTimeOffset At,
    [Id(6)] string? ShadowVersion = null,
    [Id(7)] string? ShadowRefusedReason = null);
