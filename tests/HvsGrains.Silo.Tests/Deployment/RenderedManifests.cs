using System.Diagnostics;
using k8s;
using k8s.Models;

namespace HvsGrains.Silo.Tests.Deployment;

/// <summary>
/// One overlay of deploy/kubernetes as `kubectl kustomize` renders it, each object parsed strictly into the Kubernetes
/// API's typed models (KubernetesClient): an unknown kind, a misspelt field or a value of the wrong type fails the parse.
/// </summary>
public sealed class RenderedManifests
{
    private RenderedManifests(string overlay, string yaml, IReadOnlyList<object> objects)
    {
        Overlay = overlay;
        Yaml = yaml;
        Objects = objects;
    }

    public string Overlay { get; }

    public string Yaml { get; }

    public IReadOnlyList<object> Objects { get; }

    public V1Deployment Silo => Single<V1Deployment>("hvsgrains-silo");

    public V1Container SiloContainer => Assert.Single(Silo.Spec.Template.Spec.Containers, c => c.Name == "silo");

    public static string OverlayFolder(string overlay) =>
        Path.GetDirectoryName(RepositoryFiles.Find($"deploy/kubernetes/overlays/{overlay}/kustomization.yaml"))!;

    public static RenderedManifests Render(string overlay) => Parse(overlay, Kustomize(OverlayFolder(overlay)));

    public static RenderedManifests Parse(string overlay, string yaml) =>
        new(overlay, yaml, KubernetesYaml.LoadAllFromString(yaml, strict: true));

    /// <summary>Runs `kubectl kustomize` on a folder; fails the test with kubectl's own words when it refuses.</summary>
    public static string Kustomize(string folder)
    {
        var kubectl = FindKubectl();
        var start = new ProcessStartInfo(kubectl) { ArgumentList = { "kustomize", folder }, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"kubectl kustomize {folder} failed ({process.ExitCode}): {errors}");
        Assert.True(errors.Trim().Length == 0, $"kubectl kustomize {folder} warned: {errors}");
        return output.Result;
    }

    public IEnumerable<T> All<T>() => Objects.OfType<T>();

    public T Single<T>(string name)
        where T : IKubernetesObject<V1ObjectMeta> =>
        Assert.Single(All<T>(), o => o.Metadata.Name == name);

    /// <summary>The value the container's environment gives <paramref name="name"/> literally, or null.</summary>
    public string? EnvValue(string name) => SiloContainer.Env?.SingleOrDefault(e => e.Name == name)?.Value;

    public V1EnvVar Env(string name) => Assert.Single(SiloContainer.Env, e => e.Name == name);

    public int ContainerPort(string name) => Assert.Single(SiloContainer.Ports, p => p.Name == name).ContainerPort;

    private static string FindKubectl()
    {
        var folders = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Append("/usr/bin");
        return folders.Select(folder => Path.Combine(folder, "kubectl")).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("kubectl is not installed: the deployment tests render deploy/kubernetes with `kubectl kustomize` (kubectl 1.21 or later).");
    }
}
