using Ttp.Cli;

return await TtpCli.RunAsync(args, Console.Out, Console.Error);
