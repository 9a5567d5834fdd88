using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using Ttp.Domain.Staff;
using Ttp.Portal.Components.Pages.Tsms;

namespace Ttp.Portal.Tests.Components.Tsms;

/// <summary>The retirement date picker: the portal's date format, the portal's clock.</summary>
public sealed class RetireCertificateDialogTests
{
    [Fact]
    public async Task Open_JustBeforeMidnight_PickerShowsTheNextDayAsIsoDateFromTheTimeProvider()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 23, 58, 0, TimeSpan.Zero));
        await using var domain = await PortalDomain.CreateAsync(PortalDomain.OperatorA, StaffRoles.Operator, time: time);
        var dialogs = domain.Context.Render<MudDialogProvider>();
        domain.Context.Render<MudPopoverProvider>();
        var service = domain.Context.Services.GetRequiredService<IDialogService>();

        await dialogs.InvokeAsync(() => service.ShowAsync<RetireCertificateDialog>(
            "Retire certificate", new DialogParameters<RetireCertificateDialog> { { d => d.Subject, "CN=acme" } }));

        dialogs.WaitForAssertion(() => Assert.Equal("2026-12-07",
            dialogs.Find("input[data-testid=retire-date], [data-testid=retire-date] input").GetAttribute("value")));
        Assert.Equal("00:03", dialogs.Find("input[data-testid=retire-time], [data-testid=retire-time] input").GetAttribute("value"));
    }
}
