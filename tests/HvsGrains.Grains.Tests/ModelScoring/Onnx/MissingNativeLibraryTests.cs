using System.Reflection;
using System.Runtime.Loader;
using HvsGrains.Grains.Features;
using HvsGrains.Grains.ModelScoring;
using HvsGrains.Grains.ModelScoring.Onnx;
using HvsGrains.Grains.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;
using Xunit.Abstractions;

namespace HvsGrains.Grains.Tests.ModelScoring.Onnx;

/// <summary>
/// An install without libonnxruntime: the real managed package and our code run in their own load context
/// where the OS loader cannot find the native library. The silo must fall back to the rules with a reason.
/// </summary>
public sealed class MissingNativeLibraryTests(ITestOutputHelper output) : IDisposable
{
    private readonly DataFolder _data = new();

    [Fact]
    public void Without_the_native_library_the_manager_runs_on_the_rules_and_says_why()
    {
        var context = new NoNativeOnnxRuntimeContext(_data.Path);
        try
        {
            var grains = context.LoadFromAssemblyPath(typeof(HazardModelManager).Assembly.Location);
            var isolated = grains.GetType(typeof(OnnxRuntimeInfo).FullName!, throwOnError: true)!;
            object?[] versionArgs = [null, null];
            Assert.False((bool)isolated.GetMethod(nameof(OnnxRuntimeInfo.TryGetVersion))!.Invoke(null, versionArgs)!);
            Assert.Null(versionArgs[0]);
            Assert.Contains("onnxruntime", (string)versionArgs[1]!, StringComparison.Ordinal);

            var model = TestModels.Create(FeatureSchema.Current.Names, FeatureSchema.Current.Hash, "v1");
            var bundled = Path.Combine(_data.Path, "bundled.onnx");
            File.WriteAllBytes(bundled, model);
            var (manager, type) = CreateManager(grains, bundled);
            using (manager)
            {
                type.GetMethod(nameof(HazardModelManager.LoadAtStartup))!.Invoke(manager, null);

                Assert.Null(type.GetProperty(nameof(HazardModelManager.Current))!.GetValue(manager));
                Assert.Null(type.GetProperty(nameof(HazardModelManager.RuntimeVersion))!.GetValue(manager));
                var reason = (string)type.GetProperty(nameof(HazardModelManager.RulesOnlyReason))!.GetValue(manager)!;
                output.WriteLine(reason);
                Assert.StartsWith("ONNX Runtime is unavailable", reason, StringComparison.Ordinal);
                var upload = Assert.Throws<TargetInvocationException>(() => type.GetMethod(nameof(HazardModelManager.Upload))!.Invoke(manager, [model]));
                Assert.Equal(typeof(ModelRejectedException).FullName, upload.InnerException!.GetType().FullName);
            }
        }
        finally
        {
            context.Unload();
        }
    }

    public void Dispose() => _data.Dispose();

    // The isolated HazardModelManager's types are not this assembly's, so it is built and driven by reflection.
    private (IDisposable Manager, Type Type) CreateManager(Assembly grains, string bundledPath)
    {
        Type Isolated(Type type) => grains.GetType(type.FullName!, throwOnError: true)!;
        var optionsType = Isolated(typeof(ModelOptions));
        var modelOptions = Activator.CreateInstance(optionsType)!;
        optionsType.GetProperty(nameof(ModelOptions.BundledModelPath))!.SetValue(modelOptions, bundledPath);
        optionsType.GetProperty(nameof(ModelOptions.Directory))!.SetValue(modelOptions, Path.Combine(_data.Path, "models"));
        var options = typeof(Options).GetMethod(nameof(Options.Create))!.MakeGenericMethod(optionsType).Invoke(null, [modelOptions]);
        var metrics = Activator.CreateInstance(Isolated(typeof(ScoringMetrics)), new TestMeterFactory());
        var managerType = Isolated(typeof(HazardModelManager));
        var logger = typeof(NullLogger<>).MakeGenericType(managerType).GetField(nameof(NullLogger<>.Instance))!.GetValue(null);
        return ((IDisposable)Activator.CreateInstance(managerType, options, metrics, TimeProvider.System, logger)!, managerType);
    }

    /// <summary>
    /// Loads our assembly and a copy of the managed ONNX Runtime assembly kept apart from its runtimes/ folder,
    /// and sends every native library request to a path that does not exist, as on a machine without it.
    /// </summary>
    private sealed class NoNativeOnnxRuntimeContext : AssemblyLoadContext
    {
        private readonly string _folder;

        public NoNativeOnnxRuntimeContext(string folder)
            : base("no-native-onnxruntime", isCollectible: true)
        {
            _folder = folder;
            File.Copy(typeof(InferenceSession).Assembly.Location, Path.Combine(folder, Path.GetFileName(typeof(InferenceSession).Assembly.Location)));
        }

        protected override Assembly? Load(AssemblyName assemblyName) =>
            assemblyName.Name == typeof(InferenceSession).Assembly.GetName().Name
                ? LoadFromAssemblyPath(Path.Combine(_folder, assemblyName.Name + ".dll"))
                : null;

        protected override nint LoadUnmanagedDll(string unmanagedDllName) =>
            LoadUnmanagedDllFromPath(Path.Combine(_folder, "missing", "lib" + unmanagedDllName + ".so"));
    }
}
