namespace HvsGrains.Silo.Hosting;

/// <summary>
/// Holds an exclusive lock on the embedded silo's data folder for the life of the process, so a second
/// silo on the same SQLite files refuses to start instead of writing them at the same time. A hosted
/// service only so that the host owns it: the container disposes what it resolved, and frees the folder.
/// </summary>
public sealed class DataDirectoryLock : IHostedService, IDisposable
{
    public const string FileName = "silo.lock";

    private readonly FileStream _lock;

    private DataDirectoryLock(FileStream stream) => _lock = stream;

    /// <exception cref="InvalidOperationException">Another process (or host) holds the folder.</exception>
    public static DataDirectoryLock Acquire(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, FileName);
        try
        {
            // FileShare.None is an advisory flock on Linux: held until disposed or the process dies (kill -9 included).
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            stream.SetLength(0);
            using (var writer = new StreamWriter(stream, leaveOpen: true))
            {
                writer.Write(Environment.ProcessId);
            }

            return new DataDirectoryLock(stream);
        }
        catch (IOException exception)
        {
            throw new InvalidOperationException(
                $"Another HvsGrains silo is already using the data folder '{dataDirectory}' (it holds {path}). " +
                "Stop it, or give this silo its own folder with --Hvs:DataDirectory=<folder>.", exception);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _lock.Dispose();
}
