namespace SynchroMesh.HeadOfficeIngest.Console;

/// <summary>How the console's pages and assets are answered: one layout, strict security headers, assets from the assembly.</summary>
public static class ConsolePages
{
    /// <summary>No script, style or frame from anywhere but this site, and the page never inside another site's frame.</summary>
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

    private const string PagePrefix = "console-pages/";

    /// <summary>
    /// The pages' own content, embedded as <c>console-pages/{name}.html</c> and read once; a line
    /// <c>&lt;!-- include {name} --&gt;</c> stands for another of them (the dead-message table both pages show).
    /// </summary>
    private static readonly Lazy<IReadOnlyDictionary<string, string>> PageContent = new(() =>
    {
        var files = typeof(ConsolePages).Assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(PagePrefix, StringComparison.Ordinal))
            .ToDictionary(
                name => Path.GetFileNameWithoutExtension(name[PagePrefix.Length..]),
                name =>
                {
                    using var reader = new StreamReader(typeof(ConsolePages).Assembly.GetManifestResourceStream(name)!);
                    return reader.ReadToEnd();
                });
        return files.ToDictionary(file => file.Key, file => files.Aggregate(file.Value, (content, part) => content.Replace($"<!-- include {part.Key} -->", part.Value)));
    });

    /// <summary>A page outside the console's own (sign-in): the layout's head and style, no script.</summary>
    public static IResult Html(HttpContext context, string title, string body) =>
        Document(context, title, "", script: false, body);

    /// <summary>
    /// One of the console's pages: the layout (head, script, header with who is signed in and the sign-out form,
    /// footer) around its <c>Console/Pages/{page}.html</c>, whose content the script fills in from the APIs.
    /// </summary>
    /// <param name="page">The page's name, also its <c>data-page</c>, which tells the script what to load.</param>
    /// <param name="headingAfter">Markup after the heading's link home (the branch page names its branch there).</param>
    public static IResult Page(HttpContext context, string page, string title, string headingAfter = "") =>
        Document(context, title, $" data-page=\"{page}\"", script: true, $"""
            <header>
              <h1><a href="{HeadOfficeSecurity.ConsolePath}">SynchroMesh head office</a>{headingAfter}</h1>
              <span id="who"></span>
              <form id="sign-out" method="post" action="{HeadOfficeSecurity.SignOutPath}">
                <input type="hidden" name="__RequestVerificationToken" value="">
                <button type="submit">Sign out</button>
              </form>
            </header>
            <main>
            {PageContent.Value[page]}
            </main>
            <footer id="updated"></footer>
            """);

    private static IResult Document(HttpContext context, string title, string bodyAttributes, bool script, string body)
    {
        Secure(context.Response);
        var scriptTag = script ? $"""<script src="{HeadOfficeSecurity.AssetsPath}/console.js" defer></script>""" : "";
        return Results.Content($"""
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <title>{System.Net.WebUtility.HtmlEncode(title)} · SynchroMesh</title>
              <link rel="stylesheet" href="{HeadOfficeSecurity.AssetsPath}/console.css">
              {scriptTag}
            </head>
            <body{bodyAttributes}>
            {body}
            </body>
            </html>
            """, "text/html; charset=utf-8");
    }

    /// <summary>An embedded asset (<c>Console/Assets/*</c>: script and style), or 404.</summary>
    public static IResult Asset(HttpContext context, string name)
    {
        var stream = typeof(ConsolePages).Assembly.GetManifestResourceStream("console/" + name);
        if (stream is null)
        {
            return Results.NotFound();
        }

        Secure(context.Response);
        var type = Path.GetExtension(name) switch
        {
            ".js" => "text/javascript; charset=utf-8",
            ".css" => "text/css; charset=utf-8",
            _ => "application/octet-stream",
        };
        return Results.Stream(stream, type);
    }

    private static void Secure(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "same-origin";
        response.Headers.CacheControl = "no-store";
    }
}
