using System.Globalization;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Ttp.CardSimulator;

// dotnet Ttp.CardSimulator.dll --card FILE [--port N]: prints the URL it listens on as one line, then serves POST /apdu.
string? cardFile = null;
var port = 0;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--card" when i + 1 < args.Length:
            cardFile = args[++i];
            break;
        case "--port" when i + 1 < args.Length:
            if (!int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > 65535)
            {
                await Console.Error.WriteLineAsync("--port: expected a number from 0 to 65535").ConfigureAwait(false);
                return 2;
            }

            break;
        default:
            await Console.Error.WriteLineAsync($"unknown or incomplete argument '{args[i]}'; usage: Ttp.CardSimulator --card FILE [--port N]").ConfigureAwait(false);
            return 2;
    }
}

if (cardFile is null)
{
    await Console.Error.WriteLineAsync("--card: the card file is required; usage: Ttp.CardSimulator --card FILE [--port N]").ConfigureAwait(false);
    return 2;
}

CardProfile profile;
try
{
    profile = CardProfile.Load(cardFile);
}
catch (CardProfileException e)
{
    await Console.Error.WriteLineAsync($"card file: {e.Message}").ConfigureAwait(false);
    return 2;
}

using var card = new SecureElement(profile);
await using var app = ApduEndpoint.Build(card, port);
try
{
    await app.StartAsync().ConfigureAwait(false);
}
catch (IOException e)
{
    await Console.Error.WriteLineAsync($"--port: cannot listen ({e.Message})").ConfigureAwait(false);
    return 3;
}

var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
Console.WriteLine(address);
await Console.Out.FlushAsync().ConfigureAwait(false);
await app.WaitForShutdownAsync().ConfigureAwait(false);
return 0;
