using Microsoft.Extensions.Options;

namespace HvsGrains.Silo.Hosting;

/// <summary>
/// Cluster mode: whether this silo is still a member of the cluster, as Orleans' own view (its local status) and the
/// membership table (this silo's row, read through Orleans' clustering provider) say. A silo the others declared dead,
/// or one that has not reached the table for <see cref="ClusterModeOptions.MembershipLostAfter"/>, is no member:
/// its grains may already be active elsewhere, so it must not acknowledge readings (see ClusterMembershipAdmission).
/// </summary>
public sealed partial class ClusterMembershipWatch(
    IMembershipTable table,
    ILocalSiloDetails silo,
    ISiloStatusOracle oracle,
    TimeProvider clock,
    IOptions<ClusterModeOptions> options,
    ILogger<ClusterMembershipWatch> logger) : BackgroundService
{
    private volatile TableReading _last = new(null, null, "the membership table has not been read yet");

    public MembershipVerdict Current
    {
        get
        {
            var status = oracle.CurrentStatus;
            if (status != SiloStatus.Active)
            {
                return new(false, $"This silo is {status} in the cluster, not Active.");
            }

            var last = _last;
            if (last.Refuted is { } refuted)
            {
                return new(false, $"The membership table says this silo is {refuted}.");
            }

            var lostAfter = options.Value.MembershipLostAfter;
            if (last.ConfirmedAt is not { } confirmed || clock.GetUtcNow() - confirmed > lostAfter)
            {
                return new(false, $"The membership table has not confirmed this silo Active within {lostAfter.TotalSeconds:0} s: {last.Problem}.");
            }

            return new(true, $"Active in the membership table as {silo.SiloAddress}.");
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.MembershipCheckInterval, clock);
        try
        {
            do
            {
                // The provider reads its queries when membership starts; before the silo is Active there is nothing to check.
                if (oracle.CurrentStatus == SiloStatus.Active)
                {
                    await CheckAsync(stoppingToken);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task CheckAsync(CancellationToken stoppingToken)
    {
        var previous = _last;
        try
        {
            // One check at a time: a read that hangs is given up at the next tick.
            var row = await table.ReadRowAsync(silo.SiloAddress, stoppingToken).WaitAsync(options.Value.MembershipCheckInterval, clock, stoppingToken);
            var entry = row.Members.Select(m => m.Item1).FirstOrDefault(e => e.SiloAddress.Equals(silo.SiloAddress));
            _last = entry?.Status switch
            {
                SiloStatus.Active => new TableReading(clock.GetUtcNow(), null, null),
                null => new TableReading(null, SiloStatus.None, "this silo has no row in the membership table"),
                var other => new TableReading(null, other, $"the membership table says {other}"),
            };
        }
        catch (Exception problem) when (problem is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            _last = previous with { Problem = $"reading the membership table failed: {problem.GetBaseException().Message}" };
        }

        var now = _last;
        if ((now.ConfirmedAt is null || now.Problem is not null) && now.Problem != previous.Problem)
        {
            LogNotConfirmed(logger, now.Problem ?? "unknown");
        }
        else if (now.ConfirmedAt is not null && now.Problem is null && previous.Problem is not null)
        {
            LogConfirmed(logger);
        }
    }

    private sealed record TableReading(DateTimeOffset? ConfirmedAt, SiloStatus? Refuted, string? Problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The membership table does not confirm this silo: {Problem}")]
    private static partial void LogNotConfirmed(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "The membership table confirms this silo Active again")]
    private static partial void LogConfirmed(ILogger logger);
}

/// <summary>Whether the silo may take readings as a cluster member, and why.</summary>
public sealed record MembershipVerdict(bool IsMember, string Reason);
