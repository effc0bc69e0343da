using HvsGrains.Grains.Cluster;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace HvsGrains.Cli.Connection;

/// <summary>
/// An Orleans client connected to the cluster for one command: connects within the connect timeout or fails with
/// one line saying which gateways did not answer (<see cref="ExitCodes.Unreachable"/>), never hangs.
/// </summary>
public sealed class ClusterConnection : IAsyncDisposable
{
    private readonly IHost _host;

    private ClusterConnection(IHost host) => _host = host;

    public IClusterClient Client => _host.Services.GetRequiredService<IClusterClient>();

    public static async Task<ClusterConnection> ConnectAsync(ClusterTarget target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders(); // the tool speaks in its own one-line messages; Orleans' logs would bury them
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (target.ClusterId, target.ServiceId));
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(30));
            if (target.Database is { } database)
            {
                // The silos' membership table lists the live gateways: no addresses to keep up to date (pods move).
                client.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = (PostgreSqlClusterExtensions.PostgreSqlInvariant, database));
            }
            else
            {
                client.UseStaticClustering([.. target.Gateways]);
            }
        });
        var host = builder.Build();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await host.StartAsync(deadline.Token);
            return new ClusterConnection(host);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            host.Dispose();
            var reason = exception is OperationCanceledException ? $"no answer within {timeout.TotalSeconds:0} s" : exception.Message;
            throw new CommandFailedException(ExitCodes.Unreachable, $"No cluster answers at {target.Describe()}: {reason}", exception);
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _host.StopAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
            // A client that cannot say goodbye in time is simply dropped; the gateway notices.
        }

        _host.Dispose();
    }
}
