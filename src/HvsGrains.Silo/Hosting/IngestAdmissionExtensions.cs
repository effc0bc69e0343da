using System.Threading.RateLimiting;
using HvsGrains.Silo.Ingest;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace HvsGrains.Silo.Hosting;

/// <summary>
/// Load shedding of ingest: ASP.NET Core's rate limiter with one concurrency limit for all ingest requests
/// (<see cref="IngestOptions.MaxConcurrentRequests"/>). A request beyond it and its queue is answered 503 with
/// Retry-After before its body is read, so nothing shed was ever acknowledged; reads and health are not limited.
/// </summary>
public static class IngestAdmissionExtensions
{
    public const string PolicyName = "ingest";

    public static IServiceCollection AddIngestAdmission(this IServiceCollection services)
    {
        services.AddSingleton<ShedIngestResponder>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<IngestOptions>>((limiter, ingest) =>
        {
            var options = ingest.Value;
            limiter.AddConcurrencyLimiter(PolicyName, concurrency =>
            {
                concurrency.PermitLimit = options.MaxConcurrentRequests;
                concurrency.QueueLimit = options.MaxQueuedRequests;
                concurrency.QueueProcessingOrder = QueueProcessingOrder.OldestFirst;
            });
            limiter.RejectionStatusCode = StatusCodes.Status503ServiceUnavailable;
            limiter.OnRejected = (context, cancellationToken) =>
                context.HttpContext.RequestServices.GetRequiredService<ShedIngestResponder>().AnswerAsync(context.HttpContext);
        });
        return services;
    }

    /// <summary>Puts the endpoints of <paramref name="ingest"/> under the ingest concurrency limit.</summary>
    public static TBuilder RequireIngestAdmission<TBuilder>(this TBuilder ingest)
        where TBuilder : IEndpointConventionBuilder =>
        ingest.RequireRateLimiting(PolicyName);
}
