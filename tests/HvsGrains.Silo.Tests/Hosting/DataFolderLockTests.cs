using System.Diagnostics;
using HvsGrains.Silo.Hosting;
using HvsGrains.Silo.Tests.FrontDoor;

namespace HvsGrains.Silo.Tests.Hosting;

/// <summary>Two silos must never write one embedded data folder.</summary>
public sealed class DataFolderLockTests : IDisposable
{
    private readonly DataFolder _data = new();

    [Fact]
    public void A_second_silo_on_the_same_data_folder_refuses_to_start_with_a_clear_message()
    {
        using var first = new SiloHost(_data.Path);
        using var client = first.CreateClient(); // starts the first silo

        using var second = new SiloHost(_data.Path);
        var refused = Assert.Throws<InvalidOperationException>(() => second.CreateClient());

        Assert.Contains("Another HvsGrains silo is already using the data folder", refused.Message, StringComparison.Ordinal);
        Assert.Contains(_data.Path, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_folder_is_free_again_once_its_silo_has_stopped()
    {
        using (var first = new SiloHost(_data.Path))
        {
            using var client = first.CreateClient();
        }

        using var lockAgain = DataDirectoryLock.Acquire(_data.Path);
        Assert.True(File.Exists(Path.Combine(_data.Path, DataDirectoryLock.FileName)));
    }

    [Fact]
    public void The_lock_holds_against_another_process()
    {
        using var held = DataDirectoryLock.Acquire(_data.Path);
        // flock(1) from util-linux tries the same advisory lock from a separate process.
        using var other = Process.Start(new ProcessStartInfo("flock", ["--nonblock", Path.Combine(_data.Path, DataDirectoryLock.FileName), "true"])
        {
            RedirectStandardError = true,
        })!;
        other.WaitForExit();

        Assert.NotEqual(0, other.ExitCode);
    }

    public void Dispose() => _data.Dispose();
}
