import { EVENT_TYPES } from "@tranche/shared";
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

/** A plain reference page: a title, a paragraph (HTML) and a table whose first cell ids each row. */
function tablePage(title: string, intro: string, head: string[], rows: string[][]): string {
  const body = rows
    .map(
      ([id = "", ...cells]) =>
        `<tr id="${id}"><td><code>${id}</code></td>${cells.map((c) => `<td>${escapeHtml(c)}</td>`).join("")}</tr>`,
    )
    .join("\n");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Tranche ${title.toLowerCase()}</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}td,th{padding:.4rem;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}</style>
</head><body><h1>${title}</h1><p>${intro}</p>
<table><thead><tr>${head.map((h) => `<th>${h}</th>`).join("")}</tr></thead><tbody>
${body}
</tbody></table></body></html>`;
}

const errorsHtml = () =>
  tablePage(
    "Errors",
    "Every error is an RFC 9457 <code>application/problem+json</code> body whose <code>type</code> links here and whose <code>code</code> is one of:",
    ["code", "status", "title", "what to do"],
    Object.entries(ERROR_CATALOG).map(([code, e]) => [code, String(e.status), e.title, e.help]),
  );

const eventsHtml = () =>
  tablePage(
    "Events",
    "Every change to a purchase, its installments and its refunds is an event (<code>GET /v1/events</code>) whose " +
      "<code>data.object</code> is the object as that change left it. Its <code>type</code> is one of:",
    ["type", "when"],
    Object.entries(EVENT_TYPES).map(([type, when]) => [type, when]),
  );

export function registerDocs(app: App) {
  app.get("/docs", (c) => c.html(REFERENCE_HTML));
  app.get("/docs/errors", (c) => c.html(errorsHtml()));
  app.get("/docs/events", (c) => c.html(eventsHtml()));
}
