using System.Globalization;
using System.Text;
using HvsGrains.Simulation.Scenarios;

namespace HvsGrains.Simulation.Evaluation;

/// <summary>The goals of issue 13 and a Markdown report of verdicts against them, per fault type and chemistry.</summary>
public static class EvaluationReport
{
    public const double CaughtGoal = 0.99;
    public const double MedianLeadGoalMin = 30;
    public const double P10LeadGoalMin = 8;
    public const double FalseAlarmGoalPer1000ModuleDays = 1;

    public static string Write(IReadOnlyList<ScenarioVerdict> verdicts, string commandLine, string setting)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        var md = new StringBuilder();
        md.AppendLine("# Deployed policy on held-out simulated scenarios").AppendLine();
        md.AppendLine("Produced by:").AppendLine().AppendLine("```sh").AppendLine(commandLine).AppendLine("```").AppendLine();
        md.AppendLine(setting).AppendLine();
        md.AppendLine("An alarm is what the warehouse raises: the rack's event at Warning or higher, or heat spreading to a neighbour. "
            + "A runaway is caught when the first alarm comes before the faulted module's point of no return (PNR); lead = PNR − first alarm.").AppendLine();

        var runaways = verdicts.Where(v => v.Pnr is not null).ToList();
        var leads = runaways.Where(v => v.LeadMinutes is not null).Select(v => v.LeadMinutes!.Value).Order().ToList();
        var benign = verdicts.Where(v => v.Spec.Fault.IsBenign()).ToList();
        double caught = runaways.Count == 0 ? double.NaN : (double)leads.Count / runaways.Count;
        double median = Quantile(leads, 0.5), p10 = Quantile(leads, 0.1);
        double days = benign.Sum(v => v.ModuleDays);
        double falseRate = days == 0 ? double.NaN : benign.Sum(v => v.Alarms) / days * 1000;

        md.AppendLine("## Goals").AppendLine();
        md.AppendLine("| measure | goal | result | met |").AppendLine("|---|---|---|---|");
        md.AppendLine(Row("runaways alarmed before PNR", $"≥ {CaughtGoal:P0}", $"{caught:P1} ({leads.Count} of {runaways.Count})", caught >= CaughtGoal));
        md.AppendLine(Row("median lead", $"≥ {MedianLeadGoalMin} min", $"{median:0.0} min", median >= MedianLeadGoalMin));
        md.AppendLine(Row("10th percentile lead", $"≥ {P10LeadGoalMin} min", $"{p10:0.0} min", p10 >= P10LeadGoalMin));
        md.AppendLine(Row("false alarms per 1,000 module-days (normal and look-alikes)", $"≤ {FalseAlarmGoalPer1000ModuleDays}", $"{falseRate:0.00} ({benign.Sum(v => v.Alarms)} in {days:0.#} module-days)", falseRate <= FalseAlarmGoalPer1000ModuleDays));
        md.AppendLine();
        var quick = runaways.Count(v => v.AvailableMinutes < P10LeadGoalMin);
        md.AppendLine(Inv($"{quick} of {runaways.Count} runaways ({Share(quick, runaways.Count)}) reach PNR less than {P10LeadGoalMin} min after their fault starts (hard internal shorts): no detector can give them {P10LeadGoalMin} min of lead, so the 10th percentile goal is out of reach whenever they are more than a tenth of the runaways."));
        if (benign.Sum(v => v.Alarms) == 0)
        {
            md.AppendLine(Inv($"No false alarm in {days:0} module-days bounds the rate below {3000 / Math.Max(days, 1):0.0} per 1,000 module-days at 95 % confidence (rule of three); the full catalogue (--size full) narrows that."));
        }

        md.AppendLine();

        md.AppendLine("## Runaways per fault type and chemistry").AppendLine();
        md.AppendLine("| fault | chemistry | runs | runaways | alarmed before PNR | median lead (min) | 10th pct lead (min) | fault start → PNR, median / 10th pct (min) | first alarm names the faulted module |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var group in verdicts.Where(v => !v.Spec.Fault.IsBenign()).GroupBy(v => (v.Spec.Fault, v.Spec.Chemistry)).OrderBy(g => g.Key.Fault).ThenBy(g => g.Key.Chemistry))
        {
            var ran = group.Where(v => v.Pnr is not null).ToList();
            var l = ran.Where(v => v.LeadMinutes is not null).Select(v => v.LeadMinutes!.Value).Order().ToList();
            var named = ran.Count(v => v.LeadMinutes is not null && v.FirstAlarmModule == v.Spec.ModuleId(v.Spec.FaultModule));
            var available = ran.Select(v => v.AvailableMinutes!.Value).Order().ToList();
            md.AppendLine(Inv($"| {group.Key.Fault} | {group.Key.Chemistry} | {group.Count()} | {ran.Count} | {Share(l.Count, ran.Count)} | {Quantile(l, 0.5):0.0} | {Quantile(l, 0.1):0.0} | {Quantile(available, 0.5):0.0} / {Quantile(available, 0.1):0.0} | {Share(named, l.Count)} |"));
        }

        md.AppendLine().AppendLine("## False alarms per condition (normal operation and look-alikes)").AppendLine();
        md.AppendLine("| condition | severity | chemistry | runs | module-days | alarms | per 1,000 module-days |").AppendLine("|---|---|---|---|---|---|---|");
        foreach (var group in benign.GroupBy(v => (v.Spec.Fault, v.Spec.Severity, v.Spec.Chemistry)).OrderBy(g => g.Key.Fault).ThenBy(g => g.Key.Severity).ThenBy(g => g.Key.Chemistry))
        {
            double d = group.Sum(v => v.ModuleDays);
            int a = group.Sum(v => v.Alarms);
            md.AppendLine(Inv($"| {group.Key.Fault} | {group.Key.Severity} | {group.Key.Chemistry} | {group.Count()} | {d:0.#} | {a} | {a / d * 1000:0.0} |"));
        }

        var falseAlarms = benign.Where(v => v.Alarms > 0).ToList();
        if (falseAlarms.Count > 0)
        {
            md.AppendLine().AppendLine("First false alarm of each look-alike run that alarmed:").AppendLine();
            foreach (var v in falseAlarms)
            {
                md.AppendLine(Inv($"- {v.Spec.Id}: {v.FirstAlarmText}"));
            }
        }

        var mild = verdicts.Where(v => !v.Spec.Fault.IsBenign() && v.Pnr is null).ToList();
        md.AppendLine().AppendLine(Inv($"Fault runs whose module never reached PNR (mild shorts, blocked cooling that settles): {mild.Count}, {mild.Count(v => v.Alarms > 0)} of them alarmed (a true fault, not counted as false)."));
        return md.ToString();
    }

    private static string Row(string measure, string goal, string result, bool met) => $"| {measure} | {goal} | {result} | {(met ? "yes" : "**no**")} |";

    private static string Share(int part, int whole) => whole == 0 ? "–" : Inv($"{(double)part / whole:P0} ({part}/{whole})");

    private static double Quantile(List<double> sorted, double q)
    {
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        double position = q * (sorted.Count - 1);
        int lower = (int)Math.Floor(position);
        int upper = Math.Min(lower + 1, sorted.Count - 1);
        return sorted[lower] + ((position - lower) * (sorted[upper] - sorted[lower]));
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
