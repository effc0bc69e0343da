using System.Globalization;
using System.Text.Json;
using HvsGrains.Grains.Features;
using HvsGrains.Grains.Modules;
using HvsGrains.Grains.Racks;
using HvsGrains.Grains.Readings;

namespace HvsGrains.Simulation.Dataset.Site;

/// <summary>
/// Writes a site's logged readings as a training dataset in the simulator's format (<see cref="DatasetWriter"/>'s
/// columns and <see cref="DatasetManifest"/>, so the training pipeline reads it as it reads a simulated one). Each
/// module's readings go through the module grain's own input check (<see cref="ModuleFeatureInput"/>) and feature code
/// (<see cref="ModuleFeatureState"/>), its peer figures through the rack grain's <see cref="PeerComparison"/>; labels
/// come from operators' verdicts (<see cref="SiteLabeler"/>). One scenario per rack (<c>site-RACK</c>). Streaming: one
/// rack's feature states at a time.
/// </summary>
public sealed class SiteDatasetWriter
{
    public const string GeneratorName = "HvsGrains site export";
    public const string GeneratorVersion = "hvs-site/1";

    private readonly SiteDatasetScope _scope;
    private readonly SiteLabeler _labels;
    private readonly TextWriter _csv;
    private readonly CsvLine _line = new();
    private readonly List<ManifestScenario> _scenarios = [];
    private readonly Dictionary<string, long> _bySource = SiteLabelSource.All.ToDictionary(s => s, _ => 0L, StringComparer.Ordinal);
    private readonly Dictionary<string, long> _byAlarm = new(StringComparer.Ordinal);
    private readonly List<double> _intervals = [];
    private long _rows, _positives, _excluded, _applied, _notApplied;
    private double _moduleSeconds;

    public SiteDatasetWriter(SiteDatasetScope scope, SiteLabeler labels, TextWriter csv)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(csv);
        if (scope.From >= scope.To)
        {
            throw new ArgumentException("The range must end after it starts.", nameof(scope));
        }

        (_scope, _labels, _csv) = (scope, labels, csv);
        _csv.Write(string.Join(',', Columns));
        _csv.Write('\n');
    }

    /// <summary>The simulator's columns with the label's source and alarm before the peer figures and features.</summary>
    public static IReadOnlyList<string> Columns { get; } =
        [.. DatasetWriter.SeedColumns, .. DatasetWriter.ScenarioColumns, "Label_Source", "Alarm_Id", .. PeerComparison.FeatureNames, .. FeatureVector.FeatureNames];

    /// <summary>Rows written so far.</summary>
    public long Rows => _rows;

    /// <summary>Rows left out because a test alarm covers them.</summary>
    public long ExcludedRows => _excluded;

    /// <summary>
    /// Writes one rack: <paramref name="readings"/> are its modules' logged readings in time order, from
    /// <see cref="SiteDatasetScope.WarmUp"/> before the range on (those only warm the features up).
    /// </summary>
    public void WriteRack(string rackId, IEnumerable<SensorReading> readings)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rackId);
        ArgumentNullException.ThrowIfNull(readings);
        var modules = new Dictionary<string, int>(StringComparer.Ordinal);
        var states = new List<ModuleFeatureState>();
        var peers = new List<PeerSample>();
        var firstRow = new List<DateTimeOffset?>();
        var lastRow = new List<DateTimeOffset>();
        var scenarioId = "site-" + rackId;
        var benign = !_labels.HasTrueAlarm(rackId, _scope.From, _scope.To);
        long rows = 0, positives = 0;
        DateTimeOffset? start = null, end = null;
        foreach (var logged in readings)
        {
            if (logged.IsRackReading || logged.Timestamp >= _scope.To)
            {
                continue; // the rack's gas detector has no module features
            }

            if (!modules.TryGetValue(logged.ModuleId, out var m))
            {
                modules[logged.ModuleId] = m = states.Count;
                states.Add(new ModuleFeatureState(logged.ModuleId, FeatureOptions.Default));
                peers.Add(default);
                firstRow.Add(null);
                lastRow.Add(default);
            }

            var state = states[m];
            var reading = ModuleFeatureInput.WithoutImplausible(logged, ModuleFeatureInput.ImplausibleChannels(logged, state.Current));
            var previous = state.LastTimestamp;
            if (state.Apply(reading) != ApplyOutcome.Applied)
            {
                _notApplied++; // late or repeated: the grain did not take it either
                continue;
            }

            _applied++;
            peers[m] = PeerSample.From(state.Current!);
            if (logged.Timestamp < _scope.From)
            {
                continue;
            }

            var label = _labels.Label(logged.ModuleId, rackId, logged.Timestamp);
            if (label.AlarmId is { } alarmId)
            {
                _byAlarm[alarmId] = _byAlarm.GetValueOrDefault(alarmId) + 1;
            }

            if (label.Excluded)
            {
                _excluded++;
                continue;
            }

            if (previous is { } before && _intervals.Count < 100_000)
            {
                _intervals.Add((logged.Timestamp - before).TotalSeconds);
            }

            var deviations = PeerComparison.Compare(peers);
            WriteRow(logged, state.Current!, deviations[m], label, scenarioId, benign);
            (rows, positives) = (rows + 1, positives + label.Label);
            _bySource[label.Source]++;
            firstRow[m] ??= logged.Timestamp;
            lastRow[m] = logged.Timestamp;
            start = start is { } s && s < logged.Timestamp ? s : logged.Timestamp;
            end = end is { } e && e > logged.Timestamp ? e : logged.Timestamp;
        }

        for (var i = 0; i < states.Count; i++)
        {
            _moduleSeconds += firstRow[i] is { } first ? (lastRow[i] - first).TotalSeconds : 0;
        }

        if (rows > 0)
        {
            _scenarios.Add(new ManifestScenario(
                scenarioId, "SITE", "Site", 0, benign, 0, rackId, modules.Count, "", start!.Value, (end!.Value - start.Value).TotalSeconds, 0,
                modules.Keys.ToDictionary(k => k, _ => (DateTimeOffset?)null, StringComparer.Ordinal), rows, positives));
            (_rows, _positives) = (_rows + rows, _positives + positives);
        }
    }

    /// <summary>The manifest of what was written; <paramref name="commandLine"/> says how the export was asked for.</summary>
    public DatasetManifest Finish(string commandLine)
    {
        _intervals.Sort();
        var alarms = _labels.Alarms
            .Where(a => _byAlarm.ContainsKey(a.AlarmId))
            .Select(a => new SiteAlarmUse(a.AlarmId, a.Kind.ToString(), a.RackId, a.ModuleId, a.CauseSeenAt, a.Verdict?.ToString() ?? "none", _byAlarm[a.AlarmId]))
            .ToList();
        var before = _labels.Before.TotalSeconds;
        return new DatasetManifest
        {
            Generator = GeneratorName,
            GeneratorVersion = GeneratorVersion,
            CommandLine = commandLine,
            DataFile = DatasetWriter.CsvFileName,
            Gzip = false,
            Selection = string.Create(CultureInfo.InvariantCulture, $"site:{_scope.SiteId} {CsvLine.FormatTimestamp(_scope.From)}..{CsvLine.FormatTimestamp(_scope.To)} racks:{string.Join(',', _scope.Racks)}"),
            Seed = 0,
            SampleIntervalS = _intervals.Count == 0 ? 10 : _intervals[_intervals.Count / 2],
            Label = new ManifestLabel(before, 0, "Operators' verdicts on alarms (site.labelRules); Hazard_Label = 1 only for the module a true alarm names, within the window around its cause"),
            Thinning = new ManifestThinning(1, "none: every logged reading of the range is a row, but those a test alarm covers"),
            FeatureSchema = new ManifestFeatureSchema(FeatureSchema.Current.Version, FeatureSchema.Current.Hash, FeatureSchema.Current.Names),
            Columns = Columns,
            Rows = _rows,
            Positives = _positives,
            FaultModuleRows = _positives,
            RejectedReadings = _notApplied,
            AppliedReadings = _applied,
            ModuleDays = _moduleSeconds / 86400.0,
            Scenarios = _scenarios,
            Site = new SiteExportInfo(
                _scope.SiteId, _scope.From, _scope.To, _scope.Racks, before, _labels.After.TotalSeconds, LabelRules(before, _labels.After.TotalSeconds),
                new Dictionary<string, long>(_bySource, StringComparer.Ordinal), _excluded, alarms),
        };
    }

    /// <summary>The manifest as the simulator writes it (indented camelCase JSON, one line feed at the end).</summary>
    public static string ManifestJson(DatasetManifest manifest) => JsonSerializer.Serialize(manifest, DatasetManifest.JsonOptions) + "\n";

    private static List<string> LabelRules(double before, double after) =>
    [
        string.Create(CultureInfo.InvariantCulture, $"An alarm labels its modules' rows from {before:0} s before its cause was first seen (sensor time) to {after:0} s after."),
        "true-alarm: the module a true alarm names -> Hazard_Label 1 (Is_Fault_Module 1); its event's other modules -> unjudged-alarm.",
        "false-alarm: the module a false alarm names and its event's other modules (the whole rack for an alarm without a module) -> 0, confidently.",
        "unjudged-alarm: modules of an alarm without a verdict -> 0, not known; not fitted by the training pipeline.",
        "no-alarm: every other row -> 0, the site's normal operation as far as anyone knows.",
        "test: rows of a test alarm's modules within its window are left out (site.excludedTestRows); a sensor-fault advisory's other verdicts label nothing.",
        "Overlapping windows: test > true-alarm > unjudged-alarm > false-alarm > no-alarm.",
    ];

    private void WriteRow(SensorReading reading, FeatureVector features, PeerDeviation peer, SiteRowLabel label, string scenarioId, bool benign)
    {
        var line = _line;
        line.Clear();
        DatasetWriter.ReadingColumns(line, reading);
        line.Integer(label.Label);
        line.Text(scenarioId);
        line.Text("SITE");
        line.Text("Site");
        line.Integer(0);
        line.Integer(benign ? 1 : 0);
        line.Integer(label.Label);
        line.Number((double?)null);
        line.Text(label.Source);
        line.Text(label.AlarmId ?? "");
        DatasetWriter.PeerAndFeatureColumns(line, peer, features);
        _csv.Write(line.Span);
        _csv.Write('\n');
    }
}
