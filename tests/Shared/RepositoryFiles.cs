namespace HvsGrains.Tests.Shared;

/// <summary>Finds a file of the repository from a test's output folder, wherever the build put it.</summary>
public static class RepositoryFiles
{
    /// <summary>The full path of <paramref name="relativePath"/> (e.g. "tests/Shared/x.py") in the first folder above the tests that has it.</summary>
    public static string Find(string relativePath)
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, relativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"{relativePath} not found above {AppContext.BaseDirectory}");
    }
}
