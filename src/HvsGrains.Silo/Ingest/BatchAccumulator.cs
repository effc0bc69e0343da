using HvsGrains.Grains.Readings;

namespace HvsGrains.Silo.Ingest;

/// <summary>
/// Collects the outcome of each reading of a batch, shared by the JSON and CSV readers so both
/// judge a reading the same way: format errors plus the domain validator's verdict.
/// </summary>
internal sealed class BatchAccumulator(ReadingValidator validator, DateTimeOffset now)
{
    private readonly List<IndexedReading> accepted = [];
    private readonly List<RejectedReading> rejected = [];
    private readonly List<RejectedReading> invalidChannels = [];

    /// <summary>Accepts the draft's reading, or rejects it with every problem found.</summary>
    public void Complete(int index, ReadingDraft draft)
    {
        var reading = draft.ToReading(now);
        var check = validator.Check(reading, now);
        if (draft.Errors.Count == 0 && !check.Refused)
        {
            accepted.Add(new(index, reading)); // as sent: the module grain sets the invalid channels aside
            invalidChannels.AddRange(check.InvalidChannels.Select(e => new RejectedReading(index, e.Field, e.Reason)));
            return;
        }

        var problems = validator.Validate(reading, now);

        foreach (var error in draft.Errors)
        {
            rejected.Add(new(index, error.Field, error.Reason));
        }

        foreach (var problem in problems)
        {
            // A field that failed to parse was left empty; the validator's view of it adds nothing.
            if (!draft.HasErrorFor(problem.Field))
            {
                rejected.Add(new(index, problem.Field, problem.Reason));
            }
        }
    }

    public void Reject(int index, string field, string reason) => rejected.Add(new(index, field, reason));

    public ParsedBatch ToBatch(int total) => new(accepted, rejected, total) { InvalidChannels = invalidChannels };
}
