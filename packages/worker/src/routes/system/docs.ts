import type { App } from "../../env";
import { ERROR_CATALOG } from "../../lib/errors";

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);

/**
 * The interactive reference is Swagger UI, served from the Worker's static assets
 * (copied from node_modules at install), so /docs works offline.
 */
const REFERENCE_HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <meta name="viewport" content="width=device-width, initial-scale=1" />
  <title>Tranche API reference</title>
  <link rel="stylesheet" href="/docs/vendor/swagger-ui.css" />
</head>
<body>
  <div id="reference"></div>
  <script src="/docs/vendor/swagger-ui-bundle.js"></script>
  <script>
    window.ui = SwaggerUIBundle({
      url: "/openapi.json",
      dom_id: "#reference",
      deepLinking: true,
      persistAuthorization: true,
      tryItOutEnabled: true,
    });
  </script>
</body>
</html>`;

function errorsHtml(): string {
  const rows = Object.entries(ERROR_CATALOG)
    .map(
      ([code, e]) =>
        `<tr id="${code}"><td><code>${code}</code></td><td>${e.status}</td><td>${escapeHtml(e.title)}</td><td>${escapeHtml(e.help)}</td></tr>`,
    )
    .join("\n");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Tranche errors</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}td,th{padding:.4rem;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}</style>
</head><body><h1>Errors</h1><p>Every error is an RFC 9457 <code>application/problem+json</code> body whose <code>type</code> links here and whose <code>code</code> is one of:</p>
<table><thead><tr><th>code</th><th>status</th><th>title</th><th>what to do</th></tr></thead><tbody>
${rows}
</tbody></table></body></html>`;
}

export function registerDocs(app: App) {
  app.get("/docs", (c) => c.html(REFERENCE_HTML));
  app.get("/docs/errors", (c) => c.html(errorsHtml()));
}
