namespace HvsGrains.Grains.Warehouse;

/// <summary>
/// Which change of the site picture a warehouse grain activation is at. <paramref name="Activation"/> is new
/// whenever the grain activates again (maybe on another silo, with its subscribers gone), and
/// <paramref name="Sequence"/> counts the changes of that activation, so a subscriber that sees a version it has
/// not read knows it missed something.
/// </summary>
[GenerateSerializer, Immutable, Alias("hvs.site-version")]
public sealed record SiteVersion([Id(0)] string SiteId, [Id(1)] Guid Activation, [Id(2)] long Sequence);
