using HvsGrains.Silo.Hosting;

var builder = WebApplication.CreateBuilder(SiloCommandLine.Arguments(args));
builder.AddHvsSilo();

var app = builder.Build();
app.MapHvsSilo();
app.Run();

/// <summary>Entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
