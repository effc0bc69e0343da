using System.CommandLine;
using System.Globalization;
using HvsGrains.Cli.Output;
using HvsGrains.Grains.ModelScoring.Catalog;
using HvsGrains.Grains.ModelScoring.Shadow;

namespace HvsGrains.Cli.Commands;

/// <summary>
/// <c>hvs model upload --shadow FILE</c>, <c>hvs model shadow</c>, <c>hvs model promote</c>, <c>hvs model remove-shadow</c>:
/// a candidate model in the site catalog's shadow slot and its comparison with the active model.
/// </summary>
internal static class ShadowCommands
{
    private const string NoShadow = "No candidate runs in shadow; put one there with 'hvs model upload --shadow FILE'.";

    public static async Task<int> UploadAsync(CliContext context, IClusterClient client, byte[] model, string by)
    {
        var change = await client.GetGrain<IModelCatalogGrain>(context.Site).UploadShadow(model, by);
        return change.Outcome switch
        {
            ModelChangeOutcome.Refused => throw new CommandFailedException(ExitCodes.Refused, $"Shadow model refused; nothing changes: {change.Reason}"),
            ModelChangeOutcome.NothingToDo => throw new CommandFailedException(ExitCodes.Refused, change.Reason ?? "Nothing to compare."),
            _ => ModelCommand.Changed(context, change,
                $"Model {change.Catalog.Shadow!.Candidate.Version} runs in shadow beside the active model; 'hvs model shadow' compares them"),
        };
    }

    public static Command Show()
    {
        var show = new Command("shadow", "The candidate in shadow and how it compares with the active model: agreement, differences, first alarms per module.");
        show.SetAction((parse, cancellationToken) => HvsCommandLine.WithClusterAsync(parse, cancellationToken, async (context, client) =>
        {
            var trial = await ShadowTrialView.ReadAsync(client, context.Site) ?? throw new CommandFailedException(ExitCodes.NotFound, NoShadow);
            context.Write(trial, output => Write(output, trial));
            return ExitCodes.Ok;
        }));
        return show;
    }

    public static Command Promote(Option<string> by)
    {
        var promote = new Command("promote", "Make the candidate in shadow the site's active model; the active one becomes the rollback target.") { by };
        promote.SetAction((parse, cancellationToken) => HvsCommandLine.WithClusterAsync(parse, cancellationToken, async (context, client) =>
        {
            var change = await client.GetGrain<IModelCatalogGrain>(context.Site).PromoteShadow(ModelCommand.By(parse.GetValue(by)));
            return change.Outcome == ModelChangeOutcome.Changed
                ? ModelCommand.Changed(context, change, $"Model {change.Catalog.Active!.Version} is the site's active version ('hvs model rollback' returns to the previous one)")
                : throw new CommandFailedException(ExitCodes.Refused, change.Reason ?? NoShadow);
        }));
        return promote;
    }

    public static Command Remove(Option<string> by)
    {
        var remove = new Command("remove-shadow", "Stop running the candidate in shadow.") { by };
        remove.SetAction((parse, cancellationToken) => HvsCommandLine.WithClusterAsync(parse, cancellationToken, async (context, client) =>
        {
            var change = await client.GetGrain<IModelCatalogGrain>(context.Site).RemoveShadow(ModelCommand.By(parse.GetValue(by)));
            return change.Outcome == ModelChangeOutcome.Changed
                ? ModelCommand.Changed(context, change, "No model runs in shadow any more")
                : throw new CommandFailedException(ExitCodes.Refused, change.Reason ?? NoShadow);
        }));
        return remove;
    }

    private static void Write(TextWriter output, ShadowTrialView trial)
    {
        var (candidate, comparison, counts) = (trial.Shadow.Candidate, trial.Comparison, trial.Comparison.Counts);
        Table.WritePairs(output,
            ("Shadow", $"{candidate.Version} (sha256 {candidate.Sha256[..12]}, put in shadow by {candidate.UploadedBy} at {Table.Format(candidate.UploadedAt)})"),
            ("Active", trial.ActiveVersion),
            ("Compared", $"{counts.Compared} readings"),
            ("Same level", Share(counts.SameLevel, comparison.LevelAgreement)),
            ("Same alarm", $"{Share(counts.SameAlarm, comparison.AlarmAgreement)} (Warning or above: shadow only {counts.AlarmedByShadowOnly}, active only {counts.AlarmedByActiveOnly})"),
            ("First Warning", Summary(comparison.Warning)),
            ("First Critical", Summary(comparison.Critical)),
            ("Differences", $"{comparison.DifferencesSeen} (newest {comparison.Differences.Count} below)"));
        output.WriteLine();
        var modules = new Table("MODULE", "ACTIVE WARNING", "SHADOW WARNING", "ACTIVE CRITICAL", "SHADOW CRITICAL");
        foreach (var module in comparison.Modules)
        {
            modules.Add(module.ModuleId, module.ActiveWarningAt, module.ShadowWarningAt, module.ActiveCriticalAt, module.ShadowCriticalAt);
        }

        modules.WriteTo(output);
        output.WriteLine();
        var differences = new Table("MODULE", "SENSOR TIME", "ACTIVE", "P(ACTIVE)", "SHADOW", "P(SHADOW)");
        foreach (var difference in comparison.Differences)
        {
            differences.Add(difference.ModuleId, difference.SensorTime, difference.ActiveLevel, Probability(difference.ActiveProbability), difference.ShadowLevel,
                Probability(difference.ShadowProbability));
        }

        differences.WriteTo(output);
        output.WriteLine();
        var silos = new Table("SILO", "SHADOW", "REFUSED BECAUSE", "LAST REPORT");
        foreach (var silo in trial.Silos)
        {
            silos.Add(silo.Silo, silo.ShadowVersion ?? "none", silo.ShadowRefusedReason, comparison.Silos.TryGetValue(silo.Silo, out var at) ? at : null);
        }

        silos.WriteTo(output);
    }

    private static string Share(long count, double? share) =>
        share is { } s ? string.Create(CultureInfo.InvariantCulture, $"{count} ({s:P1})") : "no reading compared yet";

    private static string Summary(FirstAlarmSummary s) =>
        $"shadow earlier {s.ShadowEarlier}, later {s.ShadowLater}, same time {s.Same}, shadow only {s.ShadowOnly}, active only {s.ActiveOnly} (modules)";

    private static string? Probability(double? p) => p?.ToString("0.000", CultureInfo.InvariantCulture);
}
