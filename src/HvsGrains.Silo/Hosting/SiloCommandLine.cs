namespace HvsGrains.Silo.Hosting;

/// <summary>The silo's command line, with the defaults it needs before the host is built.</summary>
public static class SiloCommandLine
{
    /// <summary>
    /// Defaults given first, so an explicit `--contentRoot` or `--hostBuilder:reloadConfigOnChange=true` still wins.
    /// The content root is the application's folder, not the working directory: appsettings.json, and a relative
    /// Hvs:DataDirectory, are then found wherever the silo is started from.
    /// Reloading appsettings on change is off: it watches the whole content root, data folder included, so every
    /// readings-log write woke the file watcher (5 % of CPU under load). Settings are read at start.
    /// </summary>
    public static string[] Arguments(string[] args) =>
        [$"--contentRoot={AppContext.BaseDirectory}", "--hostBuilder:reloadConfigOnChange=false", .. args];
}
