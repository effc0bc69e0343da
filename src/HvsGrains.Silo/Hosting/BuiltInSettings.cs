using Microsoft.Extensions.Configuration.Memory;

namespace HvsGrains.Silo.Hosting;

/// <summary>
/// Settings the silo has even without an appsettings.json: below every other source, so appsettings.json,
/// environment variables and the command line still override them.
/// </summary>
public static class BuiltInSettings
{
    /// <summary>ASP.NET Core's own logs at Warning: at Information it writes two lines for every request.</summary>
    public static IReadOnlyDictionary<string, string?> Values { get; } = new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
    };

    public static WebApplicationBuilder AddBuiltInSettings(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ((IConfigurationBuilder)builder.Configuration).Sources.Insert(0, new MemoryConfigurationSource { InitialData = Values });
        return builder;
    }
}
