using Ttp.Crypto;

namespace Ttp.CardSimulator;

/// <summary>
/// The HTTP edge: <c>POST /apdu</c> with the command APDU as hex in the body answers the response APDU as hex
/// (uppercase, no separators). A body that is not hex is 400 with a plain-text message.
/// </summary>
public static class ApduEndpoint
{
    /// <summary>The longest body accepted: a short APDU is at most 261 bytes, 522 hex digits (whitespace around them allowed).</summary>
    public const int MaxBodyCharacters = 1024;

    /// <summary>Builds the app (not started) for a card on loopback at <paramref name="port"/> (0: any free port).</summary>
    public static WebApplication Build(SecureElement card, int port)
    {
        ArgumentNullException.ThrowIfNull(card);
        var builder = WebApplication.CreateSlimBuilder();
        // The simulator has no settings: an appsettings.json or Kestrel__/ASPNETCORE_ variables meant for another program
        // (the portal's, beside it in a test or the demo) must not add endpoints to it.
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(options => options.Listen(System.Net.IPAddress.Loopback, port));
        var app = builder.Build();
        app.MapPost("/apdu", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var buffer = new char[MaxBodyCharacters + 1];
            var read = await reader.ReadBlockAsync(buffer.AsMemory()).ConfigureAwait(false);
            if (read > MaxBodyCharacters)
            {
                return Results.Text($"apdu: the body is longer than {MaxBodyCharacters} characters", statusCode: StatusCodes.Status400BadRequest);
            }

            byte[] command;
            try
            {
                command = Hex.Parse(buffer.AsSpan(0, read).Trim(), "apdu");
            }
            catch (CryptoInputException e)
            {
                return Results.Text(e.Message, statusCode: StatusCodes.Status400BadRequest);
            }

            return Results.Text(Hex.Encode(card.Process(command)));
        });
        return app;
    }
}
