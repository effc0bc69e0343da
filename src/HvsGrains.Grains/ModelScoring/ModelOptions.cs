namespace HvsGrains.Grains.ModelScoring;

/// <summary>Where models come from, bound from "Hvs:Model".</summary>
public sealed class ModelOptions
{
    public const string SectionName = "Hvs:Model";

    /// <summary>The model shipped with the silo, used until another version is uploaded.</summary>
    public string BundledModelPath { get; set; } = Path.Combine(AppContext.BaseDirectory, "BundledModel", "hazard-model.onnx");

    /// <summary>Folder of uploaded model versions and the record of which one is active.</summary>
    public string Directory { get; set; } = Path.Combine("data", "models");

    /// <summary>False runs the silo on the safety rules alone.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often a silo asks the site's model catalog grain which version is active (and reports its own).</summary>
    public TimeSpan CatalogPollInterval { get; set; } = TimeSpan.FromSeconds(5);
}
