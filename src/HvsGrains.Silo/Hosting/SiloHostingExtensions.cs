using HvsGrains.Runtime;
using HvsGrains.Silo.Endpoints;

namespace HvsGrains.Silo.Hosting;

/// <summary>Composition of the silo, kept out of Program.cs (eShop style).</summary>
public static class SiloHostingExtensions
{
    public static WebApplicationBuilder AddHvsSilo(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var silo = builder.Configuration.GetSection(SiloOptions.SectionName).Get<SiloOptions>() ?? new SiloOptions();
        var dataDirectory = Path.GetFullPath(silo.DataDirectory, builder.Environment.ContentRootPath);

        builder.Services.Configure<SiloOptions>(builder.Configuration.GetSection(SiloOptions.SectionName));
        builder.Services.Configure<GrainRuntimeOptions>(builder.Configuration.GetSection(GrainRuntimeOptions.SectionName));
        builder.Services.AddGrainRuntime(grains => grains
            .UseSqliteStorage(o => o.DatabasePath = Path.Combine(dataDirectory, "hvsgrains.db")));
        builder.Services.AddHealthChecks();
        return builder;
    }

    public static WebApplication MapHvsSilo(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapHealthEndpoints();
        return app;
    }
}
