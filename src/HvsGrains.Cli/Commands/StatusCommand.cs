using System.CommandLine;
using HvsGrains.Cli.Output;
using HvsGrains.Grains.ModelScoring.Catalog;
using HvsGrains.Grains.Modules;
using HvsGrains.Grains.Racks;
using HvsGrains.Grains.Readings;
using HvsGrains.Grains.Warehouse;

namespace HvsGrains.Cli.Commands;

/// <summary><c>hvs status [--rack R | --module M]</c>: the site, a rack or a module, from their grains.</summary>
public static class StatusCommand
{
    private static readonly ReadingValidator Ids = new();

    public static Command Create()
    {
        var rack = new Option<string?>("--rack") { Description = "Show one rack: its modules' levels, hottest module, propagation" };
        var module = new Option<string?>("--module") { Description = "Show one module: level, probability, why, latest reading" };
        var command = new Command("status", "The site's picture (default), a rack's or a module's.") { rack, module };
        command.Validators.Add(result =>
        {
            if (result.GetValue(rack) is not null && result.GetValue(module) is not null)
            {
                result.AddError("Give --rack or --module, not both.");
            }
        });
        command.SetAction((parse, cancellationToken) => HvsCommandLine.WithClusterAsync(parse, cancellationToken, async (context, client) =>
        {
            if (parse.GetValue(rack) is { } rackId)
            {
                return await ShowRackAsync(context, client, rackId);
            }

            return parse.GetValue(module) is { } moduleId ? await ShowModuleAsync(context, client, moduleId) : await ShowSiteAsync(context, client);
        }));
        return command;
    }

    private static async Task<int> ShowSiteAsync(CliContext context, IClusterClient client)
    {
        var status = await client.GetGrain<IWarehouseGrain>(context.Site).GetStatus();
        var catalog = await client.GetGrain<IModelCatalogGrain>(context.Site).GetCatalog();
        // The silos report the version they score with; the catalog's active one is what they converge on.
        status = status with { ModelVersion = catalog.Active?.Version ?? catalog.Silos.FirstOrDefault(s => s.Version is not null)?.Version };
        context.Write(status, output =>
        {
            Table.WritePairs(output,
                ("Site", status.SiteId), ("Level", status.Level), ("Racks", status.RackCount), ("Modules", status.ModuleCount),
                ("Open alarms", status.OpenAlarms), ("Acknowledged alarms", status.AcknowledgedAlarms), ("Model", status.ModelVersion ?? "rules only"));
            if (status.Racks.Count > 0)
            {
                output.WriteLine();
                var racks = new Table("RACK", "LEVEL", "MODULES", "HOTTEST", "TEMP °C", "PROPAGATION", "ALERTS");
                foreach (var r in status.Racks)
                {
                    racks.Add(r.RackId, r.Level, r.ModuleCount, r.HottestModuleId, r.HottestTempC, r.Propagation.Active ? string.Join(" ", r.Propagation.Modules) : "no", r.Alerts.Count);
                }

                racks.WriteTo(output);
            }
        });
        return ExitCodes.Ok;
    }

    private static async Task<int> ShowRackAsync(CliContext context, IClusterClient client, string rackId)
    {
        // An id no reading may carry names nothing, and Orleans refuses a blank key: not found without asking a grain.
        var status = Ids.IsAcceptableId(rackId) ? await client.GetGrain<IRackGrain>(rackId).GetStatus() : null;
        if (status is null)
        {
            throw new CommandFailedException(ExitCodes.NotFound, $"No rack '{rackId}': none of its modules has reported.");
        }

        context.Write(status, output =>
        {
            Table.WritePairs(output, ("Rack", status.RackId), ("Level", status.Level), ("Hottest module", status.HottestModuleId),
                ("Hottest °C", status.HottestTempC), ("Propagation", status.Propagation.Active ? status.Propagation.Detail ?? string.Join(" ", status.Propagation.Modules) : "no"));
            output.WriteLine();
            var modules = new Table("MODULE", "LEVEL", "MAX °C", "°C/MIN", "PROBABILITY", "MODEL", "AT", "REASON");
            foreach (var m in status.Modules.OrderBy(m => m.ModuleId, StringComparer.Ordinal))
            {
                modules.Add(m.ModuleId, m.Level, m.MaxSurfaceTempC, m.TempRateCPerMin, m.HazardProbability, m.ModelVersion, m.At, m.TopReason);
            }

            modules.WriteTo(output);
        });
        return ExitCodes.Ok;
    }

    private static async Task<int> ShowModuleAsync(CliContext context, IClusterClient client, string moduleId)
    {
        var status = Ids.IsAcceptableId(moduleId) ? await client.GetGrain<IModuleGrain>(moduleId).GetStatus() : null;
        if (status is null)
        {
            throw new CommandFailedException(ExitCodes.NotFound, $"No module '{moduleId}': it has never reported.");
        }

        context.Write(status, output => WriteModule(output, status));
        return ExitCodes.Ok;
    }

    private static void WriteModule(TextWriter output, ModuleStatus status)
    {
        var reading = status.LatestReading;
        Table.WritePairs(output,
            ("Module", status.ModuleId), ("Rack", status.RackId), ("Level", status.Level), ("Probability", status.HazardProbability),
            ("Model", status.ModelVersion ?? "rules only"), ("Evaluated", status.EvaluatedAt), ("Why", status.Explanation),
            ("Latest reading", reading.Timestamp), ("Max surface °C", reading.MaxSurfaceTempC), ("Voltage V", reading.VoltageV),
            ("Readings applied", status.DataQuality.AppliedReadings));
        if (status.Reasons.Count > 0)
        {
            output.WriteLine();
            var reasons = new Table("RULE", "LEVEL", "DETAIL");
            foreach (var reason in status.Reasons)
            {
                reasons.Add(reason.Rule, reason.Level, reason.Detail);
            }

            reasons.WriteTo(output);
        }

        ForecastOutput.Write(output, status);
    }
}
