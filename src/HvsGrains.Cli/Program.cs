using HvsGrains.Cli;

return await HvsCommandLine.RunAsync(args, Console.Out, Console.Error);
