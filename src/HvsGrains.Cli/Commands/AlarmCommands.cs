using System.CommandLine;
using HvsGrains.Cli.Output;
using HvsGrains.Grains.Warehouse;

namespace HvsGrains.Cli.Commands;

/// <summary><c>hvs alarms [--all]</c> and <c>hvs ack ALARM-ID --by NAME [--verdict V]</c>: the warehouse grain's alarms.</summary>
public static class AlarmCommands
{
    private const int MaxNameLength = 100; // as the front door's acknowledgement

    public static Command CreateAlarms()
    {
        var all = new Option<bool>("--all") { Description = "Include cleared alarms (default: active ones only)" };
        var command = new Command("alarms", "The site's alarms in the operator's order (open, acknowledged, cleared; most severe first): active ones, or --all.") { all };
        command.SetAction((parse, cancellationToken) => HvsCommandLine.WithClusterAsync(parse, cancellationToken, async (context, client) =>
        {
            var alarms = await client.GetGrain<IWarehouseGrain>(context.Site).GetAlarms(null, null);
            var shown = parse.GetValue(all) ? alarms : [.. alarms.Where(a => a.IsActive)];
            context.Write(shown, output =>
            {
                if (shown.Count == 0)
                {
                    output.WriteLine(parse.GetValue(all) ? "No alarms." : "No active alarms.");
                    return;
                }

                var table = new Table("ID", "STATE", "LEVEL", "PEAK", "KIND", "RACK", "MODULE", "RAISED", "ACKNOWLEDGED BY", "REASON");
                foreach (var a in shown)
                {
                    table.Add(a.Id, a.State, a.Level, a.PeakLevel, a.Kind, a.RackId, a.ModuleId, a.RaisedAt, a.AcknowledgedBy, a.Reason);
                }

                table.WriteTo(output);
            });
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static Command CreateAck()
    {
        var alarmId = new Argument<string>("alarm-id") { Description = "The alarm to acknowledge (for example ALM-000001)" };
        var by = new Option<string>("--by") { Description = "Who acknowledges: the person's name", Required = true };
        var verdict = new Option<string?>("--verdict") { Description = "Optionally, what the alarm was: " + string.Join(", ", AlarmVerdicts.Names) + " (kept as a training label)" };
        var command = new Command("ack", "Acknowledge an alarm in the name of a person.") { alarmId, by, verdict };
        command.SetAction((parse, cancellationToken) => HvsCommandLine.WithClusterAsync(parse, cancellationToken, async (context, client) =>
        {
            var id = parse.GetValue(alarmId)!.Trim();
            var name = parse.GetValue(by)!.Trim();
            if (name.Length is 0 or > MaxNameLength)
            {
                throw new CommandFailedException(ExitCodes.InvalidInput, $"--by must name the person in 1 to {MaxNameLength} characters.");
            }

            AlarmVerdict? judged = null;
            if (parse.GetValue(verdict) is { } text)
            {
                judged = AlarmVerdicts.TryParse(text, out var parsed) ? parsed
                    : throw new CommandFailedException(ExitCodes.InvalidInput, $"--verdict must be one of {string.Join(", ", AlarmVerdicts.Names)}, not '{text}'.");
            }

            // The tool reaches the cluster as an Orleans client, without an API key: it acknowledges as "hvs-tool".
            var result = await client.GetGrain<IWarehouseGrain>(context.Site).Acknowledge(id, new Acknowledgement("hvs-tool", name, judged));
            var alarm = result.Alarm;
            switch (result.Outcome)
            {
                case AcknowledgeOutcome.NotFound:
                    throw new CommandFailedException(ExitCodes.NotFound, $"No alarm '{id}' at site '{context.Site}'.");
                case AcknowledgeOutcome.AlreadyCleared:
                    throw new CommandFailedException(ExitCodes.Refused, $"{id} cleared at {Table.Format(alarm!.ClearedAt)}; there is nothing left to acknowledge.");
                default:
                    context.Write(result, output => output.WriteLine(result.Outcome == AcknowledgeOutcome.Acknowledged
                        ? $"{id} acknowledged by {alarm!.AcknowledgedBy} at {Table.Format(alarm.AcknowledgedAt)}."
                        : $"{id} was already acknowledged by {alarm!.AcknowledgedBy} at {Table.Format(alarm.AcknowledgedAt)}."));
                    return ExitCodes.Ok;
            }
        }));
        return command;
    }
}
