using System.Globalization;
using System.Text;
using System.Text.Json;
using HvsGrains.Grains.Readings;

namespace HvsGrains.Silo.Ingest;

/// <summary>
/// Reads a JSON batch: an array of reading objects with <c>moduleId</c>, <c>rackId</c>,
/// <c>timestamp</c> (ISO 8601 with an offset) and sensor fields by their JSON names (or seed CSV
/// column names), all case-insensitive; a sensor is a number or null, and missing means null.
/// A bad element is rejected with its index and the rest are kept; a body that is not such an
/// array throws <see cref="BatchFormatException"/>. Thread-safe: it keeps no per-call state.
/// </summary>
/// <remarks>
/// Hand-written over <see cref="Utf8JsonReader"/> rather than deserialised: a serializer stops at
/// the first wrong type in the whole batch, while a gateway needs to know which field of which
/// reading was wrong and have the other readings kept.
/// </remarks>
public sealed class JsonReadingBatchReader
{
    internal const string ArrayExpected = "must be a JSON array of readings";
    internal const string TimestampRequired = "is required, e.g. 2026-11-22T10:00:00Z";
    internal const string OffsetRequired = "must carry a UTC offset, e.g. 2026-11-22T10:00:00Z";
    internal const string LoneSurrogate = "is not Unicode text: it has an escaped UTF-16 surrogate (\\uD800-\\uDFFF) without its pair";

    // Names, ids and timestamps up to this length are read from a stack copy, without a string. Longer
    // ones are unknown fields, invalid ids or not timestamps anyway, and are read as strings.
    private const int MaxStackChars = 128;

    private static readonly IdPool Ids = new();

    private readonly ReadingValidator validator;
    private readonly IngestOptions options;

    public JsonReadingBatchReader(ReadingValidator validator, IngestOptions options)
    {
        ArgumentNullException.ThrowIfNull(validator);
        ArgumentNullException.ThrowIfNull(options);
        options.EnsureValid();
        this.validator = validator;
        this.options = options;
    }

    /// <summary>Parses <paramref name="utf8Body"/>; <paramref name="now"/> is the server time future timestamps are judged by.</summary>
    /// <exception cref="BatchFormatException">The body is not a JSON array of at most <see cref="IngestOptions.MaxBatchReadings"/> elements.</exception>
    public ParsedBatch Read(ReadOnlySpan<byte> utf8Body, DateTimeOffset now)
    {
        if (utf8Body.Length > options.MaxBodyBytes)
        {
            throw new BatchFormatException(StatusCodes.Status413PayloadTooLarge, "body", $"is {utf8Body.Length} bytes; at most {options.MaxBodyBytes} allowed");
        }

        // Utf8JsonReader rejects a byte order mark, but some gateway HTTP stacks send one.
        if (utf8Body.StartsWith("\uFEFF"u8))
        {
            utf8Body = utf8Body[3..];
        }

        if (utf8Body.Trim(" \t\r\n"u8).IsEmpty)
        {
            throw BadBody(ArrayExpected);
        }

        var reader = new Utf8JsonReader(utf8Body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        var batch = new BatchAccumulator(validator, now);
        var draft = new ReadingDraft();
        var index = 0;
        var arrayClosed = false;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                throw BadBody(ArrayExpected);
            }

            while (Next(ref reader) != JsonTokenType.EndArray)
            {
                if (index == options.MaxBatchReadings)
                {
                    throw TooManyReadings(options.MaxBatchReadings);
                }

                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    ReadObject(ref reader, draft);
                    batch.Complete(index, draft);
                }
                else
                {
                    reader.Skip();
                    batch.Reject(index, "reading", "must be a JSON object");
                }

                index++;
            }

            arrayClosed = true;

            // With the default options the reader throws on anything but whitespace after the array.
            reader.Read();
        }
        catch (JsonException ex)
        {
            var where = string.Create(CultureInfo.InvariantCulture, $"line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}");
            throw arrayClosed
                ? new BatchFormatException(StatusCodes.Status400BadRequest, "body", $"has content after the JSON array at {where}", ex)
                : new BatchFormatException(StatusCodes.Status400BadRequest, "body", $"is not valid JSON at {where}: {WithoutPosition(ex.Message)}", ex);
        }
        catch (InvalidOperationException ex) when (ex.InnerException is DecoderFallbackException)
        {
            // The reader checks UTF-8 only when a string is decoded.
            throw new BatchFormatException(StatusCodes.Status400BadRequest, "body", $"is not valid UTF-8 (in reading {index})", ex);
        }

        return batch.ToBatch(index);
    }

    internal static BatchFormatException TooManyReadings(int max) =>
        new(StatusCodes.Status413PayloadTooLarge, "body", $"at most {max} readings per batch");

    private static BatchFormatException BadBody(string reason) => new(StatusCodes.Status400BadRequest, "body", reason);

    private static JsonTokenType Next(ref Utf8JsonReader reader) =>
        reader.Read() ? reader.TokenType : throw BadBody("ends before the JSON array is closed");

    /// <summary>Reads one object into <paramref name="draft"/>; the reader ends on its EndObject.</summary>
    private static void ReadObject(ref Utf8JsonReader reader, ReadingDraft draft)
    {
        draft.Reset();
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            bool known;
            int field;
            string? unknownName;
            try
            {
                known = TryFindField(ref reader, out field, out unknownName);
            }
            catch (InvalidOperationException ex) when (IsLoneSurrogate(ex))
            {
                draft.AddError(RawText(ref reader), $"field name {LoneSurrogate}");
                Next(ref reader);
                reader.Skip();
                continue;
            }

            Next(ref reader);
            if (!known)
            {
                draft.AddError(unknownName!, "unknown field");
                reader.Skip();
                continue;
            }

            var name = IngestFields.JsonName(field);
            if (!draft.MarkSeen(field))
            {
                draft.AddError(name, "is given more than once");
                reader.Skip();
                continue;
            }

            try
            {
                switch (field)
                {
                    case IngestFields.ModuleId:
                        draft.ModuleId = ReadString(ref reader, draft, name);
                        break;
                    case IngestFields.RackId:
                        draft.RackId = ReadString(ref reader, draft, name);
                        break;
                    case IngestFields.Timestamp:
                        draft.Timestamp = ReadTimestamp(ref reader, draft, name);
                        break;
                    default:
                        draft.SetValue(field, ReadNumber(ref reader, draft, name));
                        break;
                }
            }
            catch (InvalidOperationException ex) when (IsLoneSurrogate(ex))
            {
                // The value is valid JSON but no text: this reading is rejected, the others are kept.
                draft.AddError(name, LoneSurrogate);
            }
        }

        // Missing ids reach the validator as empty; a missing timestamp has no such stand-in.
        if (!draft.WasSeen(IngestFields.Timestamp))
        {
            draft.AddError("timestamp", TimestampRequired);
        }
    }

    /// <summary>
    /// The reader throws InvalidOperationException when a string it decodes holds an escaped surrogate without its
    /// pair (valid JSON, but not Unicode text), or invalid UTF-8 (a DecoderFallbackException inside): that one is
    /// not JSON at all, and fails the whole body.
    /// </summary>
    private static bool IsLoneSurrogate(InvalidOperationException ex) => ex.InnerException is not DecoderFallbackException;

    /// <summary>The token as sent, escapes and all, to name a field whose name cannot be decoded.</summary>
    private static string RawText(ref Utf8JsonReader reader) => Shorten(Encoding.UTF8.GetString(reader.ValueSpan));

    private static bool TryFindField(ref Utf8JsonReader reader, out int field, out string? unknownName)
    {
        unknownName = null;

        // Escaped or not, a name never has more chars than its UTF-8 bytes.
        if (reader.ValueSpan.Length <= MaxStackChars)
        {
            Span<char> buffer = stackalloc char[MaxStackChars];
            var length = reader.CopyString(buffer);
            if (IngestFields.TryFind(buffer[..length], out field))
            {
                return true;
            }
        }
        else
        {
            field = -1;
        }

        unknownName = Shorten(reader.GetString()!); // echoed back: keep a hostile name short
        return false;
    }

    private static string? ReadString(ref Utf8JsonReader reader, ReadingDraft draft, string name)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String when reader.ValueSpan.Length <= MaxStackChars:
                Span<char> id = stackalloc char[MaxStackChars];
                return Ids.Get(id[..reader.CopyString(id)]);
            case JsonTokenType.String:
                return reader.GetString(); // too long to be valid; the validator says so
            case JsonTokenType.Null:
                return null; // the validator reports the empty id
            default:
                draft.AddError(name, "must be a string");
                reader.Skip();
                return null;
        }
    }

    private static DateTimeOffset? ReadTimestamp(ref Utf8JsonReader reader, ReadingDraft draft, string name)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                break;
            case JsonTokenType.Null:
                draft.AddError(name, TimestampRequired);
                return null;
            default:
                draft.AddError(name, "must be a string");
                reader.Skip();
                return null;
        }

        if (!reader.TryGetDateTimeOffset(out var timestamp))
        {
            draft.AddError(name, $"'{Shorten(reader.GetString()!)}' is not an ISO 8601 timestamp, e.g. 2026-11-22T10:00:00Z");
            return null;
        }

        // The reader reads an offset-less time as server-local time; a gateway's local time is
        // unknowable here, so guessing would misplace readings by hours.
        Span<char> text = stackalloc char[MaxStackChars];
        if (!HasExplicitOffset(reader.ValueSpan.Length <= MaxStackChars ? text[..reader.CopyString(text)] : reader.GetString()))
        {
            draft.AddError(name, OffsetRequired);
            return null;
        }

        return timestamp;
    }

    private static double? ReadNumber(ref Utf8JsonReader reader, ReadingDraft draft, string name)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                // TryGetDouble refuses numbers that overflow to infinity, such as 1e999.
                if (reader.TryGetDouble(out var value) && double.IsFinite(value))
                {
                    return value;
                }

                draft.AddError(name, "must be a finite number");
                return null;
            case JsonTokenType.Null:
                return null;
            default:
                draft.AddError(name, "must be a number or null");
                reader.Skip();
                return null;
        }
    }

    /// <summary>True when the ISO 8601 text ends in Z or carries ±hh:mm after the time part.</summary>
    private static bool HasExplicitOffset(ReadOnlySpan<char> text)
    {
        var time = text.IndexOfAny('T', 't');
        if (time < 0)
        {
            return false;
        }

        return text.EndsWith('Z') || text.EndsWith('z') || text[time..].IndexOfAny('+', '-') >= 0;
    }

    // Never cut between the two halves of a surrogate pair: half a pair cannot be written back as JSON text.
    internal static string Shorten(string text) =>
        text.Length <= 40 ? text : string.Concat(text.AsSpan(0, char.IsHighSurrogate(text[39]) ? 39 : 40), "…");

    // JsonException messages end with "LineNumber: 0 | BytePositionInLine: 5." (0-based); the reason gives it 1-based.
    private static string WithoutPosition(string message)
    {
        var at = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return at < 0 ? message : message[..at];
    }
}
