namespace HvsGrains.Runtime.Tests.Support;

/// <summary>A fresh SQLite file path in a folder removed after the test.</summary>
public sealed class TempDatabase : IDisposable
{
    private readonly string _folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "hvs-runtime-tests", Guid.NewGuid().ToString("N"));

    public TempDatabase() => Directory.CreateDirectory(_folder);

    public string Path => System.IO.Path.Combine(_folder, "grains.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
