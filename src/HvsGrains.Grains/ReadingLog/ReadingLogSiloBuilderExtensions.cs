using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HvsGrains.Grains.ReadingLog;

/// <summary>The readings log of a silo: SQLite, one file per silo (the embedded default), or PostgreSQL shared by the cluster.</summary>
public static class ReadingLogSiloBuilderExtensions
{
    /// <summary>The embedded log in the SQLite file at <paramref name="databasePath"/>; tuned from "Hvs:ReadingLog".</summary>
    public static ISiloBuilder AddSqliteReadingLog(this ISiloBuilder silo, IConfiguration configuration, string databasePath)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.Services.AddOptions<ReadingLogOptions>().Bind(configuration.GetSection(ReadingLogOptions.SectionName))
            .PostConfigure(o => o.DatabasePath = databasePath);
        return silo.AddReadingLog<SqliteReadingLog>();
    }

    /// <summary>The cluster's log in PostgreSQL (schema ensured at open); tuned from "Hvs:ReadingLog:PostgreSql".</summary>
    public static ISiloBuilder AddPostgreSqlReadingLog(this ISiloBuilder silo, IConfiguration configuration, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        silo.Services.AddOptions<PostgreSqlReadingLogOptions>().Bind(configuration.GetSection(PostgreSqlReadingLogOptions.SectionName))
            .PostConfigure(o => o.ConnectionString = connectionString)
            .Validate(o => o.MaxRowsPerCommit >= 1 && o.CommitTimeout > TimeSpan.Zero && o.RetryDelay > TimeSpan.Zero && o.ProbeTimeout > TimeSpan.Zero,
                "Hvs:ReadingLog:PostgreSql: MaxRowsPerCommit and the timeouts must be positive.")
            .ValidateOnStart();
        return silo.AddReadingLog<PostgreSqlReadingLog>();
    }

    private static ISiloBuilder AddReadingLog<TLog>(this ISiloBuilder silo)
        where TLog : class, IReadingLog
    {
        silo.Services.AddSingleton<TLog>();
        silo.Services.AddSingleton<IReadingLog>(sp => sp.GetRequiredService<TLog>());
        silo.Services.AddHostedService<ReadingLogStartup>();
        return silo;
    }
}
