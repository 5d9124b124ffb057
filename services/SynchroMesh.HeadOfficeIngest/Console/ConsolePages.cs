namespace SynchroMesh.HeadOfficeIngest.Console;

/// <summary>How the console's pages and assets are answered: one layout, strict security headers, assets from the assembly.</summary>
public static class ConsolePages
{
    /// <summary>No script, style or frame from anywhere but this site, and the page never inside another site's frame.</summary>
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

    public static IResult Html(HttpContext context, string title, string body)
    {
        Secure(context.Response);
        return Results.Content($"""
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <title>{System.Net.WebUtility.HtmlEncode(title)} · SynchroMesh</title>
              <link rel="stylesheet" href="/console/assets/console.css">
            </head>
            <body>
            {body}
            </body>
            </html>
            """, "text/html; charset=utf-8");
    }

    /// <summary>An embedded asset (<c>Console/Assets/*</c>), or 404.</summary>
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
            ".html" => "text/html; charset=utf-8",
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
