namespace HvsGrains.Silo.Endpoints;

/// <summary>Malformed requests answered 4xx with problem details and logged rate-limited (<see cref="ClientErrorHandler"/>).</summary>
public static class ClientErrorServiceCollectionExtensions
{
    public static IServiceCollection AddClientErrors(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ClientErrorLogOptions>().Bind(configuration.GetSection(ClientErrorLogOptions.SectionName))
            .Validate(o => o.LogInterval >= TimeSpan.Zero, "Hvs:ClientErrors:LogInterval must not be negative.")
            .ValidateOnStart();
        services.AddSingleton<ClientErrorLog>();
        services.AddExceptionHandler<ClientErrorHandler>();
        services.AddExceptionHandler<StoreUnavailableHandler>();

        // Binding failures as exceptions, so they reach ClientErrorHandler and answer a problem naming the parameter.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }
}
