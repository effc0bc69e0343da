using System.Security.Cryptography;
using System.Text;

namespace HvsGrains.Grains.Features;

/// <summary>
/// The ordered feature names a model is trained on, with a version and a hash of the names.
/// The silo refuses an ONNX model whose metadata hash differs from <see cref="Current"/>.
/// </summary>
public sealed class FeatureSchema
{
    private readonly Dictionary<string, int> _index;

    public FeatureSchema(string version, IReadOnlyList<string> names)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        ArgumentNullException.ThrowIfNull(names);
        Version = version;
        Names = [.. names];
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < Names.Count; i++)
        {
            if (!_index.TryAdd(Names[i], i))
            {
                throw new ArgumentException($"Duplicate feature name '{Names[i]}'.", nameof(names));
            }
        }

        Hash = ComputeHash(Names);
    }

    /// <summary>The schema produced by <see cref="ModuleFeatureState"/>. Bump the version with any change to the feature code.</summary>
    public static FeatureSchema Current { get; } = new("hvs-features/1", FeatureLayout.BuildNames());

    public string Version { get; }

    public IReadOnlyList<string> Names { get; }

    /// <summary>Lower-case hex SHA-256 of the names joined by '\n' (order matters).</summary>
    public string Hash { get; }

    public int Count => Names.Count;

    /// <summary>Index of a feature name, or -1.</summary>
    public int IndexOf(string name) => _index.GetValueOrDefault(name, -1);

    /// <summary>True when a model trained on <paramref name="names"/> can be fed by this schema.</summary>
    public bool Matches(IReadOnlyList<string> names) => names is not null && ComputeHash(names) == Hash;

    public static string ComputeHash(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var joined = string.Join('\n', names);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(joined)));
    }
}
