namespace HvsGrains.Scoring.Tests;

public sealed class NativeLibraryTests
{
    [Fact]
    public void Fetched_library_is_copied_next_to_a_referencing_project_and_reports_1_30_0()
    {
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "libonnxruntime.so.1")));

        var library = OnnxRuntimeLibrary.Load();

        Assert.Equal("1.30.0", library.Version);
        Assert.Same(library, OnnxRuntimeLibrary.Load(library.Path));
    }

    [Fact]
    public void Missing_library_path_gives_unavailable_exception_naming_the_path()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-dir-" + Guid.NewGuid().ToString("N"), "libonnxruntime.so.1");

        var ex = Assert.Throws<OnnxRuntimeUnavailableException>(() => OnnxRuntimeLibrary.Load(missing));

        Assert.Equal([missing], ex.PathsTried);
        Assert.Contains(missing, ex.Message, StringComparison.Ordinal);
        Assert.Contains(OnnxRuntimeLibrary.PathEnvironmentVariable, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unloadable_file_gives_unavailable_exception_with_the_loader_message()
    {
        var bogus = Path.Combine(Path.GetTempPath(), "bogus-" + Guid.NewGuid().ToString("N") + ".so");
        File.WriteAllText(bogus, "not a shared library");
        try
        {
            var ex = Assert.Throws<OnnxRuntimeUnavailableException>(() => OnnxRuntimeLibrary.Load(bogus));

            Assert.Contains("failed to load", ex.Message, StringComparison.Ordinal);
            Assert.NotNull(ex.InnerException);
        }
        finally
        {
            File.Delete(bogus);
        }
    }

    [Fact]
    public void TryCreate_reports_degraded_reason_instead_of_throwing()
    {
        var ok = OnnxHazardModelRuntime.TryCreate(new OnnxRuntimeOptions { LibraryPath = "/nonexistent/libonnxruntime.so.1" }, out var runtime, out var reason);

        Assert.False(ok);
        Assert.Null(runtime);
        Assert.Contains("/nonexistent/libonnxruntime.so.1", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Candidate_paths_expand_a_directory_and_end_next_to_the_application()
    {
        var dir = Path.GetTempPath();

        Assert.Equal([Path.Combine(dir, "libonnxruntime.so.1"), Path.Combine(dir, "libonnxruntime.so")], OnnxRuntimeLibrary.CandidatePaths(dir));
        Assert.Contains(Path.Combine(AppContext.BaseDirectory, "libonnxruntime.so.1"), OnnxRuntimeLibrary.CandidatePaths());
    }
}
