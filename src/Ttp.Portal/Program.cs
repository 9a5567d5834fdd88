using MudBlazor.Services;
using Ttp.Portal;
using Ttp.Portal.Accreditation;
using Ttp.Portal.Audit;
using Ttp.Portal.Ceremonies;
using Ttp.Portal.Components;
using Ttp.Portal.Hosting;
using Ttp.Portal.IssuerKeys;
using Ttp.Portal.Management;
using Ttp.Portal.Security;
using Ttp.Portal.Soap;
using Ttp.Portal.Staff;

// Content (appsettings.json) comes from next to the binaries; the working directory holds data/.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
if (!ConfigurationFile.TryAdd(builder, out var configurationError))
{
    await Console.Error.WriteLineAsync(configurationError);
    return 2;
}

builder.AddJsonConsoleDefaults();
builder.AddPortalDomain();
builder.AddPortalAssets();
builder.AddPortalTls();
builder.AddSoap();
builder.AddManagement();
builder.AddPortalIdentity();
builder.AddFirstRunSetup();
builder.Services.AddPortalAuthorization();
builder.Services.AddPortalStaff();
builder.Services.AddPortalAccreditation();
builder.Services.AddPortalIssuerKeys();
builder.Services.AddPortalCeremonies();
builder.Services.AddPortalAudit();
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices(c => Ttp.Portal.Components.Shared.PortalSnackbars.Configure(c.SnackbarConfiguration));

var app = builder.Build();

// First: the management and SOAP ports never reach the portal's pipeline (nor its HTML error pages).
app.MapManagement();
app.MapSoap();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
    app.UseHsts();
}

app.UseSecurityHeaders();
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UsePortalAssets();
app.UsePortalIdentity();
app.UseAntiforgery();

app.MapStaticAssets().AllowAnonymous();
app.MapAccountEndpoints();
app.MapAuditExportEndpoints();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode().AllowAnonymousErrorPages();

await app.RunAsync();
return 0;

/// <summary>Entry point; public so that tests can start the real host.</summary>
public partial class Program;
