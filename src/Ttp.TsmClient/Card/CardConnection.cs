using Ttp.Crypto;

namespace Ttp.TsmClient.Card;

/// <summary>
/// The card, reached through the card simulator's HTTP transport: <c>POST URL</c> with the command APDU as hex, the
/// response APDU as hex in the answer (docs/CARD-SIMULATOR.md). A reader of real cards would take its place.
/// </summary>
internal sealed class CardConnection(HttpClient http, Uri url)
{
    public Uri Url { get; } = url;

    /// <summary>Sends one command APDU.</summary>
    /// <exception cref="ProvisionException">The card is not reachable or its answer is not a response APDU (exit 3).</exception>
    public async Task<ResponseApdu> TransmitAsync(byte[] command, string step, CancellationToken cancellationToken)
    {
        string body;
        try
        {
            using var content = new StringContent(Hex.Encode(command));
            using var answer = await http.PostAsync(Url, content, cancellationToken).ConfigureAwait(false);
            body = await answer.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!answer.IsSuccessStatusCode)
            {
                var text = body.Length > 200 ? body[..200] : body;
                throw new ProvisionException(step, ExitCodes.Card, $"the card at {Url} answered HTTP {(int)answer.StatusCode}: {text.Trim()}");
            }
        }
        catch (HttpRequestException e)
        {
            throw new ProvisionException(step, ExitCodes.Card, $"cannot reach the card at {Url} ({e.Message})");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ProvisionException(step, ExitCodes.Card, $"the card at {Url} did not answer in time");
        }

        byte[] response;
        try
        {
            response = Hex.Parse(body.Trim(), "response");
        }
        catch (CryptoInputException)
        {
            throw new ProvisionException(step, ExitCodes.Card, $"the card at {Url} answered something that is not a hex response APDU");
        }

        return ResponseApdu.Parse(response, step);
    }
}
