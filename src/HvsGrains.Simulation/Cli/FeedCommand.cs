using System.CommandLine;
using System.Globalization;
using HvsGrains.Simulation.Feed;
using HvsGrains.Simulation.Physics;
using HvsGrains.Simulation.Scenarios;

namespace HvsGrains.Simulation.Cli;

/// <summary><c>feed --url URL --api-key KEY [--racks 8] [--modules 8] [--speed 60] [--duration 2h] [--fault isc] …</c></summary>
internal static class FeedCommand
{
    public static Command Create()
    {
        var url = new Option<Uri>("--url")
        {
            Description = "Front door base address",
            DefaultValueFactory = _ => new Uri("http://127.0.0.1:5080"),
            CustomParser = r =>
            {
                string text = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
                if (Uri.TryCreate(text, UriKind.Absolute, out Uri? u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps))
                {
                    return u;
                }

                r.AddError($"'{text}' is not an http(s) address.");
                return null;
            },
        };
        var apiKey = new Option<string>("--api-key") { Description = "Ingest API key (sent as X-Api-Key)", Required = true };
        var racks = new Option<int>("--racks") { Description = "Racks in the warehouse", DefaultValueFactory = _ => 8 };
        var modules = new Option<int>("--modules") { Description = "Modules per rack", DefaultValueFactory = _ => 8 };
        var speed = new Option<double>("--speed") { Description = "Simulated seconds per wall second (1 = real time, 0 = unpaced)", DefaultValueFactory = _ => 60 };
        var duration = new Option<TimeSpan>("--duration") { Description = "Simulated span, e.g. 2h", DefaultValueFactory = _ => TimeSpan.FromHours(2), CustomParser = Durations.FromArgument };
        var fault = new Option<string>("--fault") { Description = "Fault to inject", DefaultValueFactory = _ => "none" };
        fault.AcceptOnlyFromAmong("isc", "overcharge", "cooling", "external", "none");
        var severity = new Option<int>("--severity") { Description = "Fault severity (isc 1–5, others 1–3)", DefaultValueFactory = _ => 4 };
        var faultModule = new Option<string?>("--fault-module") { Description = "Module to fault, e.g. RackA2_Module03 (default: middle module of the first rack)" };
        var faultAt = new Option<TimeSpan>("--fault-at") { Description = "Simulated time of the fault, e.g. 10m", DefaultValueFactory = _ => TimeSpan.FromMinutes(10), CustomParser = Durations.FromArgument };
        var chemistry = new Option<string>("--chemistry") { Description = "Cell chemistry", DefaultValueFactory = _ => "nmc" };
        chemistry.AcceptOnlyFromAmong("nmc", "lfp");
        var gas = new Option<string>("--gas") { Description = "Where the site's gas sensors are: rack (a detector per rack, readings without a module id), module, shared (in every module reading)", DefaultValueFactory = _ => "rack" };
        gas.AcceptOnlyFromAmong("rack", "module", "shared");
        var batch = new Option<int>("--batch") { Description = "Most readings per POST", DefaultValueFactory = _ => 500 };
        var interval = new Option<int>("--sample-interval") { Description = "Seconds between two readings of a module", DefaultValueFactory = _ => 10 };
        var seed = new Option<ulong>("--seed") { Description = "Random seed of the warehouse", DefaultValueFactory = _ => 1 };

        var command = new Command("feed", "Run a warehouse in real or accelerated time and POST its readings to the front door.")
        {
            url, apiKey, racks, modules, speed, duration, fault, severity, faultModule, faultAt, chemistry, gas, batch, interval, seed,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new FeedOptions
            {
                Url = parse.GetValue(url)!,
                ApiKey = parse.GetValue(apiKey)!,
                Racks = parse.GetValue(racks),
                ModulesPerRack = parse.GetValue(modules),
                Speed = parse.GetValue(speed),
                Duration = parse.GetValue(duration),
                Fault = parse.GetValue(fault) switch
                {
                    "isc" => FaultType.InternalShort,
                    "overcharge" => FaultType.Overcharge,
                    "cooling" => FaultType.CoolingFailure,
                    "external" => FaultType.ExternalHeating,
                    _ => FaultType.None,
                },
                Severity = parse.GetValue(severity),
                FaultModule = parse.GetValue(faultModule),
                FaultAt = parse.GetValue(faultAt),
                Chemistry = parse.GetValue(chemistry) == "lfp" ? Chemistry.Lfp : Chemistry.Nmc,
                GasSensing = parse.GetValue(gas) switch
                {
                    "module" => GasSensing.PerModule,
                    "shared" => GasSensing.SharedInModuleReadings,
                    _ => GasSensing.PerRack,
                },
                Batch = parse.GetValue(batch),
                SampleInterval = TimeSpan.FromSeconds(parse.GetValue(interval)),
                Seed = parse.GetValue(seed),
            };
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            try
            {
                FeedResult r = await LiveFeed.RunAsync(options, http, Console.Out, TimeProvider.System, cancellationToken);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[feed] done: {r.ReadingsSent:N0} of {r.ReadingsGenerated:N0} readings accepted in {r.Batches} batches, {r.HttpErrors} HTTP errors"));
                return r.HttpErrors == 0 ? 0 : 1;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                Console.WriteLine("[feed] stopped");
                return 130;
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"[feed] {e.Message}");
                return 2;
            }
        });
        return command;
    }
}
