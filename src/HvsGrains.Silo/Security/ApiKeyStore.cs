using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace HvsGrains.Silo.Security;

/// <summary>
/// The keys in force. Configured keys win; with none configured, the embedded default makes
/// random ones on first start and keeps them in a file beside its database (owner-only).
/// </summary>
public sealed partial class ApiKeyStore
{
    private readonly (string Role, byte[] Key)[] _keys;

    public ApiKeyStore(IOptions<ApiKeyOptions> options, string dataDirectory, ILogger<ApiKeyStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var configured = options.Value;
        if (configured.IsEmpty)
        {
            KeyFile = Path.Combine(dataDirectory, "api-keys.json");
            configured = LoadOrCreate(KeyFile);
            LogGeneratedKeys(logger, KeyFile);
        }

        Keys = configured;
        _keys = new[] { (ApiRoles.Ingest, configured.Ingest), (ApiRoles.Read, configured.Read), (ApiRoles.Admin, configured.Admin), (ApiRoles.Metrics, configured.Metrics), (ApiRoles.Operator, configured.Operator) }
            .Where(k => !string.IsNullOrEmpty(k.Item2))
            .Select(k => (k.Item1, Encoding.UTF8.GetBytes(k.Item2!)))
            .ToArray();
    }

    /// <summary>The file holding generated keys, or null when keys come from configuration.</summary>
    public string? KeyFile { get; }

    /// <summary>The keys in force (tests and the dashboard host read the read key from here).</summary>
    public ApiKeyOptions Keys { get; }

    /// <summary>The role of a presented key, or null. Compared in constant time.</summary>
    public string? RoleOf(string presented)
    {
        var bytes = Encoding.UTF8.GetBytes(presented);
        string? role = null;
        foreach (var (keyRole, key) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(bytes, key))
            {
                role = keyRole;
            }
        }

        return role;
    }

    private static ApiKeyOptions LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            var stored = JsonSerializer.Deserialize<ApiKeyOptions>(File.ReadAllText(path))
                ?? throw new InvalidOperationException($"{path} holds no API keys; delete it to make new ones.");
            if (!string.IsNullOrEmpty(stored.Operator))
            {
                return stored;
            }

            // A key file from before the operator role: add its key, keep the others.
            stored.Operator = NewKey();
            Write(path, stored);
            return stored;
        }

        var keys = new ApiKeyOptions { Ingest = NewKey(), Read = NewKey(), Operator = NewKey(), Admin = NewKey(), Metrics = NewKey() };
        Write(path, keys);
        return keys;
    }

    private static void Write(string path, ApiKeyOptions keys)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var json = JsonSerializer.Serialize(keys, new JsonSerializerOptions { WriteIndented = true });
        File.WriteAllText(path, json);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private static string NewKey() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    [LoggerMessage(Level = LogLevel.Warning, Message = "No API keys configured (Hvs__ApiKeys__Ingest/Read/Operator/Admin/Metrics): using the generated keys in {KeyFile}")]
    private static partial void LogGeneratedKeys(ILogger logger, string keyFile);
}
