using System.Globalization;

namespace HvsGrains.Benchmarks.Cluster;

/// <summary>`cluster [--gateways 8] [--modules-per-gateway 125] [--readings-per-module 4] [--batches 40] [--outage-seconds 5]`.</summary>
internal sealed record ClusterArgs(int Gateways, int ModulesPerGateway, int ReadingsPerModule, int Batches, int OutageSeconds)
{
    public static ClusterArgs Parse(string[] args)
    {
        int Get(string name, int fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
        }

        return new ClusterArgs(Get("--gateways", 8), Get("--modules-per-gateway", 125), Get("--readings-per-module", 4), Get("--batches", 40), Get("--outage-seconds", 5));
    }
}
