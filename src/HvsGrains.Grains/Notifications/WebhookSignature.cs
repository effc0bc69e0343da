using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace HvsGrains.Grains.Notifications;

/// <summary>
/// HMAC-SHA256 with the endpoint's secret over "&lt;timestamp&gt;.&lt;body&gt;": the timestamp (Unix seconds, also sent in
/// X-Hvs-Timestamp) is signed with the body, so a captured delivery cannot be replayed later under a fresh timestamp.
/// </summary>
public static class WebhookSignature
{
    public const string TimestampHeader = "X-Hvs-Timestamp";
    public const string SignatureHeader = "X-Hvs-Signature";
    public const string EventIdHeader = "X-Hvs-Event-Id";
    public const string EventTypeHeader = "X-Hvs-Event";
    public const string Prefix = "sha256=";

    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    /// <summary>What a receiver does: recompute and compare in constant time.</summary>
    public static bool Verify(string secret, string timestamp, ReadOnlySpan<byte> body, string signature)
    {
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(secret, seconds, body));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature));
    }
}
