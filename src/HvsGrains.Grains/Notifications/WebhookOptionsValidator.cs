using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace HvsGrains.Grains.Notifications;

/// <summary>Refuses a webhook configuration that could never deliver, naming the configuration key and never the secret.</summary>
public sealed partial class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (var (endpointName, endpoint) in options.Endpoints)
        {
            var key = $"{WebhookOptions.SectionName}:Endpoints:{endpointName}";
            if (!EndpointName().IsMatch(endpointName))
            {
                failures.Add($"{key}: the endpoint name must be 1 to 64 letters, digits, '-' or '_'.");
            }

            if (!Uri.TryCreate(endpoint.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                failures.Add($"{key}:Url must be an absolute http or https URL (got '{endpoint.Url}').");
            }

            if (string.IsNullOrWhiteSpace(endpoint.Secret))
            {
                failures.Add($"{key}:Secret must not be empty.");
            }

            for (var i = 0; i < endpoint.Events.Count; i++)
            {
                if (!WebhookEventTypes.IsKnown(endpoint.Events[i]))
                {
                    failures.Add($"{key}:Events:{i} '{endpoint.Events[i]}' is not one of {string.Join(", ", WebhookEventTypes.All)}.");
                }
            }
        }

        var delivery = options.Delivery;
        var section = $"{WebhookOptions.SectionName}:Delivery";
        Require(delivery.Timeout > TimeSpan.Zero, $"{section}:Timeout must be positive.");
        Require(delivery.FirstRetryDelay > TimeSpan.Zero, $"{section}:FirstRetryDelay must be positive.");
        Require(delivery.MaxRetryDelay >= delivery.FirstRetryDelay, $"{section}:MaxRetryDelay must be at least FirstRetryDelay.");
        Require(delivery.MaxAttempts >= 1, $"{section}:MaxAttempts must be at least 1.");
        Require(delivery.MaxAge > TimeSpan.Zero, $"{section}:MaxAge must be positive.");
        Require(delivery.DeadLettersKept >= 0, $"{section}:DeadLettersKept must not be negative.");
        Require(delivery.WakeInterval > TimeSpan.Zero, $"{section}:WakeInterval must be positive.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void Require(bool holds, string failure)
        {
            if (!holds)
            {
                failures.Add(failure);
            }
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex EndpointName();
}
