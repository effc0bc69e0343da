using System.Net;
using System.Text.Json;
using HvsGrains.Silo.Hosting;
using HvsGrains.Silo.Security;
using HvsGrains.Silo.Tests.FrontDoor;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OrleansSiloOptions = Orleans.Configuration.SiloOptions;

namespace HvsGrains.Silo.Tests.Deployment;

/// <summary>
/// deploy/kubernetes, both forms, checked offline: each overlay renders, every object is valid against the Kubernetes
/// API's models, and what matters to the silo holds (ports, Secrets, probes' port, shutdown, the form's own rules).
/// </summary>
public sealed class KubernetesManifestTests
{
    private static readonly string[] OverlayNames = ["cluster", "embedded"];

    public static TheoryData<string> Overlays => new(OverlayNames);

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_rendered_object_parses_strictly_into_the_kubernetes_models(string overlay)
    {
        var manifests = RenderedManifests.Render(overlay);

        var documents = manifests.Yaml.Split("\n---\n").Count(d => d.Trim().Length > 0);
        Assert.Equal(documents, manifests.Objects.Count);
        Assert.All(manifests.Objects, o => Assert.IsAssignableFrom<k8s.IKubernetesObject<V1ObjectMeta>>(o));
        Assert.NotNull(manifests.Silo.Spec.Template.Spec.Containers);
    }

    [Fact]
    public void The_strict_parse_refuses_a_misspelt_field_and_a_value_of_the_wrong_type()
    {
        var yaml = RenderedManifests.Render("embedded").Yaml;

        Assert.ThrowsAny<Exception>(() => RenderedManifests.Parse("misspelt", Replaced(yaml, "readinessProbe:", "readinesProbe:")));
        Assert.ThrowsAny<Exception>(() => RenderedManifests.Parse("wrong type", Replaced(yaml, "replicas: 1", "replicas: one")));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_secret_the_silo_reads_is_rendered_with_that_key(string overlay)
    {
        var manifests = RenderedManifests.Render(overlay);
        var references = manifests.SiloContainer.Env.Where(e => e.ValueFrom?.SecretKeyRef is not null).ToList();

        Assert.NotEmpty(references);
        Assert.All(references, e =>
        {
            var reference = e.ValueFrom.SecretKeyRef;
            var secret = manifests.Single<V1Secret>(reference.Name);
            var keys = (secret.StringData?.Keys ?? []).Concat(secret.Data?.Keys ?? []);
            Assert.True(keys.Contains(reference.Key), $"{e.Name} reads key '{reference.Key}' of Secret {reference.Name}, which has only {string.Join(", ", keys)}");
        });
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_api_key_role_of_the_silo_comes_from_a_secret_and_no_other_is_set(string overlay)
    {
        var manifests = RenderedManifests.Render(overlay);
        var roles = typeof(ApiKeyOptions).GetProperties().Where(p => p.PropertyType == typeof(string)).Select(p => p.Name).ToList();
        var section = ApiKeyOptions.SectionName.Replace(":", "__", StringComparison.Ordinal) + "__";

        Assert.All(roles, role => Assert.NotNull(manifests.Env(section + role).ValueFrom?.SecretKeyRef));
        Assert.All(
            manifests.SiloContainer.Env.Where(e => e.Name.StartsWith(section, StringComparison.Ordinal)),
            e => Assert.Contains(e.Name[section.Length..], roles));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Ports_and_settings_agree_between_the_services_the_container_the_silo_and_the_dockerfile(string overlay)
    {
        var manifests = RenderedManifests.Render(overlay);
        var container = manifests.SiloContainer;
        var http = manifests.ContainerPort("http");

        Assert.Equal(Invariant(http), manifests.EnvValue("ASPNETCORE_HTTP_PORTS"));
        Assert.Equal(Invariant(manifests.ContainerPort("silo")), manifests.EnvValue("Hvs__Orleans__SiloPort"));
        Assert.Equal(Invariant(manifests.ContainerPort("gateway")), manifests.EnvValue("Hvs__Orleans__GatewayPort"));
        Assert.All(new[] { container.ReadinessProbe, container.LivenessProbe, container.StartupProbe }, probe =>
            Assert.Equal(http, PortNumber(container, probe.HttpGet.Port)));

        var podLabels = manifests.Silo.Spec.Template.Metadata.Labels;
        Assert.Subset(podLabels.ToHashSet(), manifests.Silo.Spec.Selector.MatchLabels.ToHashSet());
        var services = manifests.All<V1Service>().ToList();
        Assert.NotEmpty(services);
        Assert.All(services, service =>
        {
            Assert.Subset(podLabels.ToHashSet(), service.Spec.Selector.ToHashSet());
            Assert.All(service.Spec.Ports, port => PortNumber(container, port.TargetPort));
        });

        var dockerfile = Dockerfile.Load();
        Assert.Equal(container.Ports.Select(p => p.ContainerPort).Order(), dockerfile.ExposedPorts.Order());
        Assert.Equal(Invariant(http), dockerfile.Env["ASPNETCORE_HTTP_PORTS"]);
        Assert.Equal(manifests.EnvValue("Hvs__DataDirectory"), dockerfile.Env["Hvs__DataDirectory"]);
        Assert.Equal(manifests.EnvValue("shutdownTimeoutSeconds"), dockerfile.Env["shutdownTimeoutSeconds"]);
        Assert.Equal(manifests.EnvValue("Hvs__DataDirectory"), Assert.Single(container.VolumeMounts, m => m.Name == "data").MountPath);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task The_grace_period_outlasts_the_shutdown_timeout_of_a_silo_with_the_pods_settings(string overlay)
    {
        var manifests = RenderedManifests.Render(overlay);
        using var data = new DataFolder();
        var settings = manifests.SiloContainer.Env
            .Select(e => (e.Name, Value: e.Value ?? (e.ValueFrom?.FieldRef?.FieldPath == "metadata.name" ? "hvsgrains-silo-5d8f7-x2k9q" : null)))
            .Where(e => e.Value is not null)
            .ToDictionary(e => e.Name.Replace("__", ":", StringComparison.Ordinal), e => e.Value);
        settings["Hvs:DataDirectory"] = data.Path;

        // The silo's own composition, built but not started: what a pod with these settings would stop within.
        var builder = WebApplication.CreateBuilder(SiloCommandLine.Arguments([]));
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddHvsSilo();
        await using var app = builder.Build();
        var shutdown = app.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout;

        if (manifests.EnvValue("shutdownTimeoutSeconds") is { } configured)
        {
            Assert.Equal(TimeSpan.FromSeconds(int.Parse(configured, System.Globalization.CultureInfo.InvariantCulture)), shutdown);
        }

        var grace = manifests.Silo.Spec.Template.Spec.TerminationGracePeriodSeconds;
        Assert.True(grace > shutdown.TotalSeconds, $"terminationGracePeriodSeconds {grace} is not longer than the host's shutdown timeout {shutdown}");
        if (overlay == "cluster")
        {
            Assert.Equal("hvsgrains-silo-5d8f7-x2k9q", app.Services.GetRequiredService<IOptions<OrleansSiloOptions>>().Value.SiloName);
        }
    }

    [Fact]
    public async Task The_probes_ask_the_silos_own_health_endpoints()
    {
        var containers = OverlayNames.Select(o => RenderedManifests.Render(o).SiloContainer).ToList();
        using var data = new DataFolder();
        await using var silo = new SiloHost(data.Path);
        using var http = silo.CreateClient();

        // Readiness runs the silo's checks and says what each found; liveness and start-up only need an answer.
        foreach (var path in containers.Select(c => c.ReadinessProbe.HttpGet.Path).Distinct())
        {
            var body = string.Empty;
            Assert.True(await Eventually.HoldsAsync(async () =>
            {
                using var readiness = await http.GetAsync(path);
                body = await readiness.Content.ReadAsStringAsync();
                return readiness.StatusCode == HttpStatusCode.OK;
            }, attempts: 6000), $"{path} never answered 200: {body}");
            using var report = JsonDocument.Parse(body);
            Assert.True(report.RootElement.GetProperty("checks").TryGetProperty("readings-log", out _), $"{path} does not run the silo's checks");
        }

        foreach (var path in containers.SelectMany(c => new[] { c.LivenessProbe.HttpGet.Path, c.StartupProbe.HttpGet.Path }).Distinct())
        {
            using var liveness = await http.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, liveness.StatusCode);
        }
    }

    [Fact]
    public void The_cluster_passes_each_pod_its_address_and_name_reads_postgres_from_a_secret_and_loses_one_silo_at_a_time()
    {
        var manifests = RenderedManifests.Render("cluster");
        var silo = manifests.Silo;

        Assert.Equal("status.podIP", manifests.Env("Hvs__Orleans__AdvertisedAddress").ValueFrom?.FieldRef?.FieldPath);
        Assert.Equal("metadata.name", manifests.Env("Orleans__Name").ValueFrom?.FieldRef?.FieldPath);
        Assert.NotNull(manifests.Env("Hvs__Cluster__ConnectionString").ValueFrom?.SecretKeyRef);
        Assert.True(silo.Spec.Replicas >= 3, $"{silo.Spec.Replicas} silos");
        Assert.Equal("RollingUpdate", silo.Spec.Strategy.Type);
        Assert.Equal("0", silo.Spec.Strategy.RollingUpdate.MaxUnavailable.Value);

        var budget = Assert.Single(manifests.All<V1PodDisruptionBudget>());
        Assert.Subset(silo.Spec.Template.Metadata.Labels.ToHashSet(), budget.Spec.Selector.MatchLabels.ToHashSet());
        Assert.Equal("1", budget.Spec.MaxUnavailable.Value);
        Assert.All(silo.Spec.Template.Spec.Volumes, v => Assert.Null(v.PersistentVolumeClaim));
    }

    [Fact]
    public void The_embedded_form_is_one_silo_on_a_persistent_volume_stopped_before_its_successor_starts()
    {
        var manifests = RenderedManifests.Render("embedded");
        var silo = manifests.Silo;

        Assert.Equal(1, silo.Spec.Replicas);
        Assert.Equal("Recreate", silo.Spec.Strategy.Type);
        Assert.Null(silo.Spec.Strategy.RollingUpdate);
        var data = Assert.Single(silo.Spec.Template.Spec.Volumes, v => v.Name == "data");
        Assert.Null(data.EmptyDir);
        manifests.Single<V1PersistentVolumeClaim>(data.PersistentVolumeClaim.ClaimName);
        Assert.Null(manifests.EnvValue("Hvs__Cluster__ConnectionString"));
        Assert.DoesNotContain(manifests.SiloContainer.Env, e => e.Name == "Hvs__Cluster__ConnectionString");
    }

    private static int PortNumber(V1Container container, IntOrString port) =>
        int.TryParse(port.Value, out var number)
            ? Assert.Single(container.Ports, p => p.ContainerPort == number).ContainerPort
            : Assert.Single(container.Ports, p => p.Name == port.Value).ContainerPort;

    private static string Invariant(int number) => number.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Replaced(string yaml, string text, string replacement)
    {
        Assert.Contains(text, yaml, StringComparison.Ordinal);
        return yaml.Replace(text, replacement, StringComparison.Ordinal);
    }
}
