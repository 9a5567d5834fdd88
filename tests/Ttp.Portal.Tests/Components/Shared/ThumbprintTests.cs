using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using Ttp.Portal.Components.Shared;

namespace Ttp.Portal.Tests.Components.Shared;

/// <summary>Thumbprints grouped in colon-separated bytes, breakable only between bytes, with a labelled copy button.</summary>
public sealed class ThumbprintTests
{
    private const string Sha256 = "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9";

    [Theory]
    [InlineData("ab12cd", "AB:12:CD")]
    [InlineData("AB:12:cd", "AB:12:CD")]
    [InlineData("ab 12 cd", "AB:12:CD")]
    [InlineData("THUMB0003", "THUMB0003")]
    [InlineData("abc", "abc")]
    [InlineData("", "")]
    public void Grouped_Hex_ColonSeparatedUpperCaseBytes(string value, string grouped) => Assert.Equal(grouped, Thumbprint.Grouped(value));

    [Fact]
    public async Task Render_Sha256_ThirtyTwoBytesWithBreakPointsAndCopyButton()
    {
        await using var context = new BunitContext();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        context.Services.AddMudServices();
        context.Render<MudPopoverProvider>();

        var cut = context.Render<Thumbprint>(p => p.Add(x => x.Value, Sha256).Add(x => x.Label, "the SHA-256 thumbprint"));

        var value = cut.Find("[data-testid=thumbprint-value]");
        Assert.Equal(Thumbprint.Grouped(Sha256), value.TextContent);
        Assert.Equal(32, value.TextContent.Split(':').Length);
        Assert.Equal(31, value.QuerySelectorAll("wbr").Length);
        Assert.Equal("Copy the SHA-256 thumbprint", cut.Find("[data-testid=thumbprint-copy]").GetAttribute("aria-label"));
    }

    [Fact]
    public async Task Copy_Clicked_WritesTheGroupedValueToTheClipboard()
    {
        await using var context = new BunitContext();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        context.Services.AddMudServices();
        context.Render<MudPopoverProvider>();
        var cut = context.Render<Thumbprint>(p => p.Add(x => x.Value, Sha256));

        await cut.InvokeAsync(() => cut.Find("[data-testid=thumbprint-copy]").Click());

        var call = Assert.Single(context.JSInterop.Invocations, i => i.Identifier == "navigator.clipboard.writeText");
        Assert.Equal(Thumbprint.Grouped(Sha256), call.Arguments[0]);
    }
}
