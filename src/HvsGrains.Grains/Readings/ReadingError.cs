namespace HvsGrains.Grains.Readings;

/// <summary>Why one field of a reading was rejected; <paramref name="Field"/> is the JSON name, e.g. "avgSurfaceTempC".</summary>
public sealed record ReadingError(string Field, string Reason);

/// <summary>
/// The verdict on one reading: <paramref name="Errors"/> refuse it; <paramref name="InvalidChannels"/>
/// are implausible channels it is accepted with: the log keeps what the gateway sent, the module grain
/// sets them to missing (imputed) and reports a sensor fault (see <see cref="ReadingValidator.ImplausibleChannels"/>).
/// </summary>
public sealed record ReadingCheck(IReadOnlyList<ReadingError> Errors, IReadOnlyList<ReadingError> InvalidChannels)
{
    public bool Refused => Errors.Count > 0;
}
