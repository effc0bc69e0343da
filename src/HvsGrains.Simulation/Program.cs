using System.CommandLine;
using HvsGrains.Simulation.Cli;

namespace HvsGrains.Simulation;

/// <summary>hvs-sim: <c>dataset</c> writes labelled training data, <c>feed</c> drives a running front door live.</summary>
internal static class Program
{
    private static Task<int> Main(string[] args)
    {
        var root = new RootCommand("HvsGrains battery-warehouse simulator: labelled datasets and live sensor feeds.")
        {
            DatasetCommand.Create(),
            FeedCommand.Create(),
            EvaluateCommand.Create(),
            ForecastEvalCommand.Create(),
        };
        return root.Parse(args).InvokeAsync();
    }
}
