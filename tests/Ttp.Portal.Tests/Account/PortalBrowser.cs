using System.Net;
using System.Text.RegularExpressions;

namespace Ttp.Portal.Tests.Account;

/// <summary>
/// A cookie-keeping HTTP client against the real portal that does what a browser does with the static account pages:
/// reads a page, takes the form's antiforgery token and handler name, posts the fields, and follows redirects by hand
/// (so tests can see them).
/// </summary>
internal sealed partial class PortalBrowser : IDisposable
{
    private readonly HttpClient _client;

    public PortalBrowser(Uri baseAddress)
    {
        Cookies = new CookieContainer();
        var handler = new HttpClientHandler
        {
            CookieContainer = Cookies,
            AllowAutoRedirect = false,
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate is not null,
        };
        _client = new HttpClient(handler) { BaseAddress = baseAddress };
    }

    public CookieContainer Cookies { get; }

    /// <summary>GET without following redirects.</summary>
    public Task<HttpResponseMessage> GetAsync(string path) => _client.GetAsync(new Uri(path, UriKind.Relative));

    /// <summary>POST without following redirects.</summary>
    public Task<HttpResponseMessage> PostAsync(string path, HttpContent content) => _client.PostAsync(new Uri(path, UriKind.Relative), content);

    /// <summary>GET, following redirects; returns the last response and its HTML.</summary>
    public async Task<Page> GetPageAsync(string path)
    {
        var response = await GetAsync(path);
        return await FollowAsync(response);
    }

    /// <summary>
    /// Submits the form of <paramref name="page"/> (its antiforgery token and <c>_handler</c>, plus <paramref name="fields"/>,
    /// which may name another <c>_handler</c>) to <paramref name="path"/>, following redirects.
    /// </summary>
    public async Task<Page> SubmitAsync(string path, Page page, IReadOnlyDictionary<string, string> fields)
    {
        var form = new Dictionary<string, string>(fields)
        {
            ["__RequestVerificationToken"] = Hidden(page.Html, "__RequestVerificationToken")
                ?? throw new InvalidOperationException($"no antiforgery token on {page.Path}"),
        };
        if (!form.ContainsKey("_handler") && Hidden(page.Html, "_handler") is { } handler)
        {
            form["_handler"] = handler;
        }

        using var content = new FormUrlEncodedContent(form);
        var response = await _client.PostAsync(new Uri(path, UriKind.Relative), content);
        return await FollowAsync(response);
    }

    /// <summary>GETs <paramref name="path"/> and submits its form.</summary>
    public async Task<Page> FillAsync(string path, IReadOnlyDictionary<string, string> fields) =>
        await SubmitAsync(path, await GetPageAsync(path), fields);

    public void Dispose() => _client.Dispose();

    /// <summary>The value of the hidden input named <paramref name="name"/>, or null.</summary>
    public static string? Hidden(string html, string name)
    {
        foreach (Match input in InputTag().Matches(html))
        {
            var tag = input.Value;
            if (tag.Contains($"name=\"{name}\"", StringComparison.Ordinal))
            {
                var value = ValueAttribute().Match(tag);
                return value.Success ? WebUtility.HtmlDecode(value.Groups[1].Value) : string.Empty;
            }
        }

        return null;
    }

    private async Task<Page> FollowAsync(HttpResponseMessage response)
    {
        var path = response.RequestMessage!.RequestUri!.PathAndQuery;
        for (var hops = 0; hops < 10 && (int)response.StatusCode is >= 300 and < 400; hops++)
        {
            var location = response.Headers.Location!;
            path = location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;
            response.Dispose();
            response = await GetAsync(path.StartsWith('/') ? path : "/" + path);
        }

        return new Page(response.StatusCode, response.RequestMessage!.RequestUri!.PathAndQuery, await response.Content.ReadAsStringAsync());
    }

    [GeneratedRegex("<input[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InputTag();

    [GeneratedRegex("value=\"([^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex ValueAttribute();

    /// <summary>A page as the browser ended on it.</summary>
    public sealed record Page(HttpStatusCode Status, string Path, string Html);
}
