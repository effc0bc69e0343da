using System.CommandLine;
using HvsGrains.Cli.Output;
using HvsGrains.Grains.ModelScoring.Catalog;

namespace HvsGrains.Cli.Commands;

/// <summary>
/// <c>hvs model show|upload [--shadow] FILE|rollback|shadow|promote|remove-shadow</c>: the site's model catalog grain, which every silo follows within
/// its poll interval (Hvs:Model:CatalogPollInterval).
/// </summary>
public static class ModelCommand
{
    private const long MaxModelBytes = 64 * 1024 * 1024; // as the front door's upload

    public static Command Create()
    {
        var by = new Option<string>("--by") { Description = "Who makes the change (default: your user name)", DefaultValueFactory = _ => Environment.UserName };
        var file = new Argument<FileInfo>("file") { Description = "The .onnx model exported by src/training" };

        var show = new Command("show", "The active and previous model versions, who changed them, and what each silo scores with.");
        show.SetAction((parse, cancellationToken) => HvsCommandLine.WithClusterAsync(parse, cancellationToken, async (context, client) =>
        {
            var catalog = await client.GetGrain<IModelCatalogGrain>(context.Site).GetCatalog();
            context.Write(catalog, output => WriteCatalog(output, catalog));
            return ExitCodes.Ok;
        }));

        var inShadow = new Option<bool>("--shadow") { Description = "Run it in shadow beside the active model instead (compare with 'hvs model shadow', then 'hvs model promote')" };
        var upload = new Command("upload", "Validate a model against the feature code and make it the site's active version (or its candidate in shadow).") { file, by, inShadow };
        upload.SetAction((parse, cancellationToken) => HvsCommandLine.WithClusterAsync(parse, cancellationToken, async (context, client) =>
        {
            var bytes = await ReadModelAsync(parse.GetValue(file)!, cancellationToken);
            if (parse.GetValue(inShadow))
            {
                return await ShadowCommands.UploadAsync(context, client, bytes, By(parse.GetValue(by)));
            }

            var change = await client.GetGrain<IModelCatalogGrain>(context.Site).Upload(bytes, By(parse.GetValue(by)));
            if (change.Outcome == ModelChangeOutcome.Refused)
            {
                throw new CommandFailedException(ExitCodes.Refused, $"Model refused; the previous model stays in use: {change.Reason}");
            }

            return Changed(context, change, $"Model {change.Catalog.Active!.Version} is the site's active version");
        }));

        var rollback = new Command("rollback", "Make the previous model version active again.") { by };
        rollback.SetAction((parse, cancellationToken) => HvsCommandLine.WithClusterAsync(parse, cancellationToken, async (context, client) =>
        {
            var change = await client.GetGrain<IModelCatalogGrain>(context.Site).Rollback(By(parse.GetValue(by)));
            if (change.Outcome != ModelChangeOutcome.Changed)
            {
                throw new CommandFailedException(ExitCodes.Refused, change.Reason ?? "Nothing to roll back to.");
            }

            return Changed(context, change, $"Rolled back to {change.Catalog.Active?.Version ?? "the bundled model"}");
        }));

        return new Command("model", "The site's hazard model: show, upload, roll back; a candidate in shadow: compare, promote, remove.")
        {
            show, upload, rollback, ShadowCommands.Show(), ShadowCommands.Promote(by), ShadowCommands.Remove(by),
        };
    }

    internal static int Changed(CliContext context, ModelChange change, string summary)
    {
        context.Write(change.Catalog, output => output.WriteLine($"{summary}; every silo follows within a few seconds ('hvs model show' lists them)."));
        return ExitCodes.Ok;
    }

    private static async Task<byte[]> ReadModelAsync(FileInfo file, CancellationToken cancellationToken)
    {
        if (!file.Exists)
        {
            throw new CommandFailedException(ExitCodes.InvalidInput, $"No model file '{file.FullName}'.");
        }

        if (file.Length is 0 or > MaxModelBytes)
        {
            throw new CommandFailedException(ExitCodes.InvalidInput, $"'{file.Name}' is {file.Length} bytes; a model is 1 byte to {MaxModelBytes / (1024 * 1024)} MiB.");
        }

        return await File.ReadAllBytesAsync(file.FullName, cancellationToken);
    }

    internal static string By(string? name) =>
        string.IsNullOrWhiteSpace(name) ? throw new CommandFailedException(ExitCodes.InvalidInput, "--by must name who makes the change.") : name.Trim();

    private static void WriteCatalog(TextWriter output, ModelCatalogView catalog)
    {
        Table.WritePairs(output,
            ("Active", catalog.Active is { } active ? $"{active.Version} (sha256 {active.Sha256[..12]}, uploaded by {active.UploadedBy} at {Table.Format(active.UploadedAt)})" : "the bundled model"),
            ("Previous", catalog.Previous is { } previous ? $"{previous.Version} (sha256 {previous.Sha256[..12]})" : catalog.CanRollBack ? "the bundled model" : "none"),
            ("Last change", catalog.ChangedBy is null ? "never" : $"by {catalog.ChangedBy} at {Table.Format(catalog.ChangedAt)}"));
        output.WriteLine();
        var silos = new Table("SILO", "MODEL", "SOURCE", "SHA256", "REPORTED", "RULES-ONLY REASON");
        foreach (var silo in catalog.Silos)
        {
            silos.Add(silo.Silo, silo.Version ?? "rules only", silo.Source, silo.Sha256?[..12], silo.At, silo.RulesOnlyReason);
        }

        silos.WriteTo(output);
    }
}
