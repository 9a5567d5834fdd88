extern alias simulator;

using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using simulator::Ttp.CardSimulator;

namespace Ttp.TsmClient.Tests;

/// <summary>A sample card (samples/cards) on the card simulator's real HTTP edge, on a free loopback port.</summary>
internal sealed class SimulatedCard : IAsyncDisposable
{
    private readonly WebApplication app;

    private SimulatedCard(SecureElement element, WebApplication app, Uri url)
    {
        Element = element;
        this.app = app;
        Url = url;
    }

    /// <summary>The card, for looking at its state after a run.</summary>
    public SecureElement Element { get; }

    /// <summary>The card's APDU endpoint (<c>http://127.0.0.1:PORT/apdu</c>).</summary>
    public Uri Url { get; }

    /// <summary>Reads a sample card file as JSON, for a test to change (the TTP's URL, a variant's keys).</summary>
    public static JsonObject Sample(string file) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "cards", file)))!.AsObject();

    public static async Task<SimulatedCard> StartAsync(JsonObject card)
    {
        var element = new SecureElement(CardProfile.Parse(card.ToJsonString()));
        var app = ApduEndpoint.Build(element, 0);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SimulatedCard(element, app, new Uri(new Uri(address), "/apdu"));
    }

    public async ValueTask DisposeAsync()
    {
        await app.DisposeAsync();
        Element.Dispose();
    }
}
