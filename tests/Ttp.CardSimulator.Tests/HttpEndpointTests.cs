using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Crypto;

namespace Ttp.CardSimulator.Tests;

/// <summary>The HTTP edge on a real Kestrel on loopback, port 0, with a card read from a temporary card file.</summary>
public sealed class HttpEndpointTests : IAsyncLifetime
{
    private readonly string cardFile = Path.Combine(Path.GetTempPath(), $"ttp-card-{Guid.NewGuid():N}.json");
    private SecureElement? card;
    private WebApplication? app;
    private HttpClient? client;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(cardFile, TestCards.Json("02", "15", "01", "0001", TestCards.DefaultKey, TestCards.DefaultKey, TestCards.DefaultKey));
        card = new SecureElement(CardProfile.Load(cardFile));
        app = ApduEndpoint.Build(card, 0);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        client = new HttpClient { BaseAddress = new Uri(address) };
    }

    public async Task DisposeAsync()
    {
        client?.Dispose();
        if (app is not null)
        {
            await app.DisposeAsync();
        }

        card?.Dispose();
        File.Delete(cardFile);
    }

    [Fact]
    public async Task PostApdu_SelectThenGetDataUrl_AnswersHex()
    {
        var select = await Post("00A4040008A00000015100000000");
        var url = await Post("80CA5F5000");

        Assert.Equal(200, (int)select.StatusCode);
        Assert.StartsWith("6F", await select.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var expectedUrl = "5F50" + $"{TestCards.Url.Length:X2}" + Hex.Encode(Encoding.ASCII.GetBytes(TestCards.Url)) + "9000";
        Assert.Equal(expectedUrl, await url.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PostApdu_BodyNotHex_Answers400WithPlainTextMessage()
    {
        var response = await Post("80CA5F5Z00");

        Assert.Equal(400, (int)response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.StartsWith("apdu: expected hex digits", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private Task<HttpResponseMessage> Post(string body) =>
        client!.PostAsync(new Uri("/apdu", UriKind.Relative), new StringContent(body, Encoding.ASCII, "text/plain"));
}
