namespace HvsGrains.Silo.Endpoints;

/// <summary>Problem-details answers that name the field and the reason.</summary>
internal static class Problems
{
    public static IResult Field(int statusCode, string title, string field, string reason) =>
        TypedResults.Problem(
            statusCode: statusCode,
            title: title,
            detail: $"{field}: {reason}",
            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [field] = [reason] } });

    public static IResult NotFound(string what, string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"Unknown {what}", detail: $"No {what} '{id}' has reported to this site.");
}
