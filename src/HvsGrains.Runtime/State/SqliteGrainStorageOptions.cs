namespace HvsGrains.Runtime;

/// <summary>Where the embedded SQLite grain storage keeps its file.</summary>
public sealed class SqliteGrainStorageOptions
{
    /// <summary>Path of the database file; created with its folder when missing.</summary>
    public string DatabasePath { get; set; } = Path.Combine("data", "hvsgrains.db");
}
