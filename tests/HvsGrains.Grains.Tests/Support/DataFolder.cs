namespace HvsGrains.Grains.Tests.Support;

/// <summary>A temporary data folder removed after the test.</summary>
public sealed class DataFolder : IDisposable
{
    public DataFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "hvs-grains-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Path, recursive: true);
    }
}
