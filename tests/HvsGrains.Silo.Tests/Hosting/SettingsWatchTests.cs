using HvsGrains.Silo.Hosting;
using HvsGrains.Silo.Tests.FrontDoor;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HvsGrains.Silo.Tests.Hosting;

/// <summary>The silo reads its settings files once; watching them would watch its data folder too.</summary>
public sealed class SettingsWatchTests : IDisposable
{
    private readonly DataFolder _data = new();

    [Fact]
    public void Settings_files_are_read_at_start_and_not_watched()
    {
        using var silo = new SiloHost(_data.Path);
        using var client = silo.CreateClient(); // starts the host through Program.cs

        var configuration = (IConfigurationRoot)silo.Services.GetRequiredService<IConfiguration>();
        var files = configuration.Providers.OfType<FileConfigurationProvider>().ToList();

        Assert.Contains(files, f => f.Source.Path == "appsettings.json");
        Assert.All(files, f => Assert.False(f.Source.ReloadOnChange, $"{f.Source.Path} is watched"));
    }

    [Theory]
    [InlineData(new string[0], false)]
    [InlineData(new[] { "--hostBuilder:reloadConfigOnChange=true" }, true)]
    public void An_explicit_command_line_switch_still_turns_watching_on(string[] args, bool watched)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = SiloCommandLine.Arguments(args), ContentRootPath = AppContext.BaseDirectory });

        var files = ((IConfigurationRoot)builder.Configuration).Providers.OfType<FileConfigurationProvider>().ToList();

        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.Equal(watched, f.Source.ReloadOnChange));
    }

    public void Dispose() => _data.Dispose();
}
