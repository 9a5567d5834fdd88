using Ttp.TsmClient;

return await TsmCommandLine.RunAsync(args, Console.Out, Console.Error);
