using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using HvsGrains.Grains.Readings;

namespace HvsGrains.Silo.Ingest;

/// <summary>
/// Reads a CSV batch in the seed dataset's format so seed and exported files can be replayed.
/// The header names the columns (case-insensitive): <c>Timestamp</c>, <c>Module_ID</c> and
/// <c>Rack_ID</c> are required; sensor columns (<c>Module_Voltage_V</c> … <c>Sim_OffGas_VOC_ppm_proxy</c>,
/// older aliases such as <c>Ambient_Temp_Rack_C</c>, or the JSON names) are optional and a missing
/// one is null; other columns (<c>Hazard_Label</c>, <c>Scenario_Id</c>, features) are ignored.
/// Thread-safe: it keeps no per-call state.
/// </summary>
/// <remarks>
/// <para>The index of a reading is its 0-based data row: the first row after the header is 0;
/// blank (or whitespace-only) lines are skipped and not counted.</para>
/// <para>A sensor cell that is empty, <c>NaN</c>, <c>NA</c> or <c>null</c> (any case) is a missing
/// value: pandas writes NaN as an empty cell, and R and hand edits use the others. Id cells are
/// taken literally (trimmed), so an empty id is rejected by the validator.</para>
/// <para>Timestamps are <c>yyyy-MM-dd HH:mm:ss</c> or ISO 8601 (<c>T</c>, fractions). One without an
/// offset is taken as UTC, because the seed generator writes UTC without saying so; an explicit
/// offset or <c>Z</c> is honoured and kept.</para>
/// </remarks>
public sealed class CsvReadingBatchReader
{
    // Exact formats rather than DateTimeOffset.TryParse: the lenient parser would also accept
    // culture-style dates such as 05/01/2025, whose day/month order is a guess. 'K' allows Z,
    // an offset or nothing, and ".FFFFFFF" an absent fraction.
    private static readonly string[] TimestampFormats =
    [
        "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd HH:mmK",
        "yyyy-MM-dd'T'HH:mmK",
    ];

    // Throws on invalid bytes instead of silently turning them into U+FFFD inside ids.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly int[] RequiredFields = [IngestFields.Timestamp, IngestFields.ModuleId, IngestFields.RackId];

    private readonly ReadingValidator validator;
    private readonly IngestOptions options;

    public CsvReadingBatchReader(ReadingValidator validator, IngestOptions options)
    {
        ArgumentNullException.ThrowIfNull(validator);
        ArgumentNullException.ThrowIfNull(options);
        options.EnsureValid();
        this.validator = validator;
        this.options = options;
    }

    /// <summary>Parses CSV text; <paramref name="now"/> is the server time future timestamps are judged by.</summary>
    /// <exception cref="BatchFormatException">No header, a required column missing or repeated, malformed quoting, or too many rows.</exception>
    public ParsedBatch Read(string csv, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(csv);
        using var text = new StringReader(csv);
        return Read(text, now);
    }

    /// <summary>Parses a buffered UTF-8 request body (BOM allowed), checking <see cref="IngestOptions.MaxBodyBytes"/>.</summary>
    /// <inheritdoc cref="Read(string, DateTimeOffset)"/>
    public ParsedBatch Read(ReadOnlySpan<byte> utf8Body, DateTimeOffset now)
    {
        if (utf8Body.Length > options.MaxBodyBytes)
        {
            throw new BatchFormatException(StatusCodes.Status413PayloadTooLarge, "body", $"is {utf8Body.Length} bytes; at most {options.MaxBodyBytes} allowed");
        }

        string csv;
        try
        {
            csv = StrictUtf8.GetString(utf8Body.StartsWith("\uFEFF"u8) ? utf8Body[3..] : utf8Body);
        }
        catch (DecoderFallbackException ex)
        {
            throw new BatchFormatException(StatusCodes.Status400BadRequest, "body", $"is not valid UTF-8 at byte {ex.Index}", ex);
        }

        return Read(csv, now);
    }

    /// <inheritdoc cref="Read(string, DateTimeOffset)"/>
    public ParsedBatch Read(TextReader csv, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(csv);
        using var parser = new CsvParser(csv, Configuration, leaveOpen: true);
        var session = new Session(this, now);
        while (parser.Read())
        {
            session.Add(parser.Record!);
        }

        return session.Finish();
    }

    /// <summary>
    /// Parses a UTF-8 (BOM allowed) CSV request body without blocking a thread on the network.
    /// The body size limit is the caller's to enforce.
    /// </summary>
    /// <inheritdoc cref="Read(string, DateTimeOffset)"/>
    public async Task<ParsedBatch> ReadAsync(Stream utf8Body, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(utf8Body);
        using var text = new StreamReader(utf8Body, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        using var parser = new CsvParser(text, Configuration, leaveOpen: true);
        var session = new Session(this, now);
        while (await parser.ReadAsync())
        {
            cancellationToken.ThrowIfCancellationRequested();
            session.Add(parser.Record!);
        }

        return session.Finish();
    }

    private static CsvConfiguration Configuration { get; } = new(CultureInfo.InvariantCulture)
    {
        TrimOptions = TrimOptions.Trim,
        IgnoreBlankLines = true,

        // A stray quote puts every later row boundary in doubt, like malformed JSON: refuse the batch.
        BadDataFound = args => throw new BatchFormatException(
            StatusCodes.Status400BadRequest,
            "body",
            $"is not valid CSV at line {args.Context.Parser?.RawRow}: a quote inside an unquoted cell"),
    };

    private static bool IsMissing(string cell) =>
        cell.Length == 0
        || cell.Equals("NaN", StringComparison.OrdinalIgnoreCase)
        || cell.Equals("NA", StringComparison.OrdinalIgnoreCase)
        || cell.Equals("null", StringComparison.OrdinalIgnoreCase);

    /// <summary>One pass over a CSV body: the header, then the data rows.</summary>
    private sealed class Session(CsvReadingBatchReader owner, DateTimeOffset now)
    {
        private readonly BatchAccumulator batch = new(owner.validator, now);
        private readonly ReadingDraft draft = new();

        // Field number of each column, or -1 for a column that is ignored.
        private int[]? columns;
        private int rows;

        public void Add(string[] record)
        {
            // CsvHelper skips empty lines but not lines of spaces, which trim to one empty cell.
            if (record is [{ Length: 0 }])
            {
                return;
            }

            if (columns is null)
            {
                columns = MapHeader(record);
                return;
            }

            var index = rows;
            if (index == owner.options.MaxBatchReadings)
            {
                throw JsonReadingBatchReader.TooManyReadings(owner.options.MaxBatchReadings);
            }

            rows++;

            // A short or long row is usually a truncated line: which cell is which is a guess.
            if (record.Length != columns.Length)
            {
                batch.Reject(index, "reading", $"has {record.Length} cells but the header has {columns.Length} columns");
                return;
            }

            draft.Reset();
            for (var i = 0; i < record.Length; i++)
            {
                if (columns[i] >= 0)
                {
                    ReadCell(columns[i], record[i]);
                }
            }

            batch.Complete(index, draft);
        }

        public ParsedBatch Finish() =>
            columns is null
                ? throw new BatchFormatException(StatusCodes.Status400BadRequest, "body", "must be CSV with a header row (Timestamp, Module_ID, Rack_ID, sensor columns)")
                : batch.ToBatch(rows);

        private static int[] MapHeader(string[] header)
        {
            var columns = new int[header.Length];
            var names = new string?[IngestFields.Count];
            for (var i = 0; i < header.Length; i++)
            {
                // StringReader input keeps a byte order mark that StreamReader would have dropped.
                var name = i == 0 ? header[i].TrimStart('\uFEFF').Trim() : header[i];
                if (!IngestFields.TryFind(name, out var field))
                {
                    columns[i] = -1;
                    continue;
                }

                if (names[field] is { } first)
                {
                    throw new BatchFormatException(StatusCodes.Status400BadRequest, name, $"column '{name}' is the same field as column '{first}'; give it once");
                }

                names[field] = name;
                columns[i] = field;
            }

            foreach (var field in RequiredFields)
            {
                if (names[field] is null)
                {
                    var column = IngestFields.CsvColumn(field);
                    throw new BatchFormatException(StatusCodes.Status400BadRequest, column, $"required column '{column}' is missing from the CSV header");
                }
            }

            return columns;
        }

        private void ReadCell(int field, string cell)
        {
            switch (field)
            {
                case IngestFields.ModuleId:
                    draft.ModuleId = cell;
                    break;
                case IngestFields.RackId:
                    draft.RackId = cell;
                    break;
                case IngestFields.Timestamp:
                    draft.Timestamp = ParseTimestamp(cell);
                    break;
                default:
                    draft.SetValue(field, ParseNumber(field, cell));
                    break;
            }
        }

        private DateTimeOffset? ParseTimestamp(string cell)
        {
            if (IsMissing(cell))
            {
                draft.AddError("timestamp", JsonReadingBatchReader.TimestampRequired);
                return null;
            }

            if (DateTimeOffset.TryParseExact(cell, TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var timestamp))
            {
                return timestamp;
            }

            draft.AddError("timestamp", $"'{JsonReadingBatchReader.Shorten(cell)}' is not a timestamp; expected e.g. 2025-05-01 00:00:00 (UTC) or 2025-05-01T02:00:00+02:00");
            return null;
        }

        private double? ParseNumber(int field, string cell)
        {
            if (IsMissing(cell))
            {
                return null;
            }

            var name = IngestFields.JsonName(field);
            if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                draft.AddError(name, $"'{JsonReadingBatchReader.Shorten(cell)}' is not a number");
                return null;
            }

            // double.TryParse turns "Infinity" and overflowing values such as 1e999 into infinity.
            if (!double.IsFinite(value))
            {
                draft.AddError(name, "must be a finite number");
                return null;
            }

            return value;
        }
    }
}
