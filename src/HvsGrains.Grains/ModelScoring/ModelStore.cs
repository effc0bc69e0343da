using System.Security.Cryptography;
using System.Text.Json;

namespace HvsGrains.Grains.ModelScoring;

/// <summary>
/// Uploaded model versions on disk, named by the SHA-256 of their bytes, and which one is active
/// and which came before it (for rollback). Survives restarts.
/// </summary>
public sealed class ModelStore(string directory)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly string _catalogPath = Path.Combine(directory, "catalog.json");

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public ModelCatalog ReadCatalog() =>
        File.Exists(_catalogPath) ? JsonSerializer.Deserialize<ModelCatalog>(File.ReadAllText(_catalogPath), Json) ?? new ModelCatalog() : new ModelCatalog();

    public byte[] Read(string sha256) => File.ReadAllBytes(PathOf(sha256));

    /// <summary>The bytes of a kept version, or null when this store does not have it.</summary>
    public byte[]? TryRead(string sha256)
    {
        try
        {
            return File.ReadAllBytes(PathOf(sha256));
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Keeps the bytes of a model (idempotent: the name is the content hash).</summary>
    public void Save(string sha256, byte[] bytes)
    {
        System.IO.Directory.CreateDirectory(directory);
        var path = PathOf(sha256);
        if (!File.Exists(path))
        {
            var temporary = path + ".tmp";
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, path, overwrite: true);
        }
    }

    /// <summary>Records the active and previous versions; written to a temporary file first so a crash leaves the old record.</summary>
    public void WriteCatalog(ModelCatalog catalog)
    {
        System.IO.Directory.CreateDirectory(directory);
        var temporary = _catalogPath + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(catalog, Json));
        File.Move(temporary, _catalogPath, overwrite: true);
    }

    private string PathOf(string sha256) => Path.Combine(directory, sha256 + ".onnx");
}

/// <summary>The record of uploaded models: which is active, which was active before.</summary>
public sealed record ModelCatalog
{
    public string? ActiveSha256 { get; init; }

    public string? PreviousSha256 { get; init; }
}
