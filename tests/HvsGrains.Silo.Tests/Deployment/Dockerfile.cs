using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace HvsGrains.Silo.Tests.Deployment;

/// <summary>The repository's Dockerfile, read as far as the tests need: its publish command, ENV, EXPOSE and ENTRYPOINT.</summary>
public sealed partial class Dockerfile
{
    private Dockerfile(IReadOnlyList<(string Keyword, string Arguments)> instructions) => Instructions = instructions;

    public IReadOnlyList<(string Keyword, string Arguments)> Instructions { get; }

    public string RepositoryRoot { get; private init; } = string.Empty;

    /// <summary>The runtime stage's ENV (the last stage's, later lines winning).</summary>
    public IReadOnlyDictionary<string, string> Env => LastStage()
        .Where(i => i.Keyword == "ENV")
        .SelectMany(i => EnvPair().Matches(i.Arguments))
        .GroupBy(m => m.Groups["name"].Value)
        .ToDictionary(g => g.Key, g => g.Last().Groups["value"].Value.Trim('"'));

    public IEnumerable<int> ExposedPorts => LastStage()
        .Where(i => i.Keyword == "EXPOSE")
        .SelectMany(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        .Select(p => int.Parse(p.Split('/')[0], CultureInfo.InvariantCulture));

    public string[] Entrypoint => JsonSerializer.Deserialize<string[]>(Assert.Single(LastStage(), i => i.Keyword == "ENTRYPOINT").Arguments)!;

    /// <summary>The build stage's `RUN dotnet publish …`, as arguments of `dotnet`.</summary>
    public string[] PublishArguments
    {
        get
        {
            var run = Assert.Single(Instructions, i => i.Keyword == "RUN" && i.Arguments.StartsWith("dotnet publish ", StringComparison.Ordinal));
            Assert.DoesNotContain("&&", run.Arguments, StringComparison.Ordinal);
            return run.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..];
        }
    }

    /// <summary>The folder the runtime stage copies from the build stage (`COPY --from=build /app .`).</summary>
    public string PublishedFolder => Assert.Single(LastStage(), i => i.Keyword == "COPY" && i.Arguments.StartsWith("--from=", StringComparison.Ordinal))
        .Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];

    public static Dockerfile Load()
    {
        var path = RepositoryFiles.Find("Dockerfile");
        var instructions = new List<(string, string)>();
        var current = string.Empty;
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || (line.Length == 0 && current.Length == 0))
            {
                continue;
            }

            current += line.TrimEnd('\\').Trim() + " ";
            if (!line.EndsWith('\\'))
            {
                var text = current.Trim();
                var space = text.IndexOf(' ', StringComparison.Ordinal);
                instructions.Add((text[..space].ToUpperInvariant(), text[(space + 1)..].Trim()));
                current = string.Empty;
            }
        }

        return new Dockerfile(instructions) { RepositoryRoot = Path.GetDirectoryName(path)! };
    }

    private IEnumerable<(string Keyword, string Arguments)> LastStage() =>
        Instructions.Skip(Instructions.Select((i, index) => (i, index)).Last(x => x.i.Keyword == "FROM").index);

    [GeneratedRegex("(?<name>[A-Za-z_][A-Za-z0-9_]*)=(?<value>\"[^\"]*\"|\\S+)")]
    private static partial Regex EnvPair();
}
