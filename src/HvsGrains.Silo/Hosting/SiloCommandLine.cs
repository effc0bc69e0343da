namespace HvsGrains.Silo.Hosting;

/// <summary>The silo's command line, with the defaults it needs before the host is built.</summary>
public static class SiloCommandLine
{
    /// <summary>
    /// Turns off reloading appsettings on change: it watches the whole content root, data folder included,
    /// so every readings-log write woke the file watcher (5 % of CPU under load). Settings are read at start.
    /// Given first, so an explicit `--hostBuilder:reloadConfigOnChange=true` still wins.
    /// </summary>
    public static string[] Arguments(string[] args) => ["--hostBuilder:reloadConfigOnChange=false", .. args];
}
