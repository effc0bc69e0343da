using System.CommandLine;
using HvsGrains.Cli.Output;

namespace HvsGrains.Cli.Commands;

/// <summary><c>hvs cluster</c>: every silo in the membership table, its status and activations (Orleans' management grain).</summary>
public static class ClusterCommand
{
    public static Command Create()
    {
        var command = new Command("cluster", "The silos: status, start time, activations (and how many are modules and racks).");
        command.SetAction((parse, cancellationToken) => HvsCommandLine.WithClusterAsync(parse, cancellationToken, async (context, client) =>
        {
            var management = client.GetGrain<IManagementGrain>(0);
            var hosts = await management.GetDetailedHosts(onlyActive: false);
            var active = hosts.Where(h => h.Status == SiloStatus.Active).Select(h => h.SiloAddress).ToArray();
            var runtime = active.Length == 0 ? [] : await management.GetRuntimeStatistics(active);
            var grains = await management.GetSimpleGrainStatistics();
            var silos = hosts
                .OrderBy(h => h.Status != SiloStatus.Active).ThenBy(h => h.SiloName, StringComparer.Ordinal)
                .Select(h =>
                {
                    var index = Array.IndexOf(active, h.SiloAddress);
                    var counts = grains.Where(g => g.SiloAddress.Equals(h.SiloAddress)).ToList();
                    return new SiloView(
                        h.SiloName,
                        h.SiloAddress.ToString(),
                        h.HostName,
                        h.Status.ToString(),
                        new DateTimeOffset(DateTime.SpecifyKind(h.StartTime, DateTimeKind.Utc)), // membership times are UTC
                        index >= 0 ? runtime[index].ActivationCount : null,
                        index >= 0 ? counts.Where(g => IsType(g.GrainType, "ModuleGrain")).Sum(g => g.ActivationCount) : null,
                        index >= 0 ? counts.Where(g => IsType(g.GrainType, "RackGrain")).Sum(g => g.ActivationCount) : null);
                })
                .ToList();
            context.Write(silos, output =>
            {
                var table = new Table("SILO", "ADDRESS", "HOST", "STATUS", "STARTED", "ACTIVATIONS", "MODULES", "RACKS");
                foreach (var s in silos)
                {
                    table.Add(s.Name, s.Address, s.HostName, s.Status, s.StartedAt, s.Activations, s.Modules, s.Racks);
                }

                table.WriteTo(output);
            });
            return ExitCodes.Ok;
        }));
        return command;
    }

    // Orleans names grain types by class (HvsGrains.Grains.Modules.ModuleGrain); compare the simple name only.
    private static bool IsType(string grainType, string className) =>
        grainType.EndsWith(className, StringComparison.Ordinal) || grainType.Contains(className + ",", StringComparison.Ordinal);

    /// <summary>One silo as the tool shows it; counts are null for a silo that is not active.</summary>
    public sealed record SiloView(string Name, string Address, string HostName, string Status, DateTimeOffset StartedAt, int? Activations, int? Modules, int? Racks);
}
