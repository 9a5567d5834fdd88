using Ttp.LoadGenerator;

try
{
    var options = LoadOptions.Parse(args);
    if (options is null)
    {
        Console.WriteLine(LoadOptions.Usage);
        return 0;
    }

    var result = await LoadRun.RunAsync(options);
    Report.Print(options, result, Console.Out);
    return result.Errors > 0 ? 1 : 0;
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync("ttp-loadgen: " + e.Message);
    return 2;
}
