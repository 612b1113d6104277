import { randomBytes } from 'node:crypto';

/** A fresh nonce for each render: 128 random bits. */
export function makeNonce(): string {
  return randomBytes(16).toString('base64');
}

/** The panel's Content Security Policy: only our own styles, fonts and images, and only scripts with the nonce. */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    `default-src 'none'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
  ].join('; ');
}

export interface DetailsPage {
  cspSource: string;
  nonce: string;
  /** Stylesheet URIs (webview URIs of files under media/). */
  styles: string[];
  script: string;
  lang: string;
  /** Shown until the first render message arrives. */
  loading: string;
}

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => entities[c]);
}

/**
 * The panel's page: a shell with no ticket text at all. The script builds the content from the JSON the
 * extension posts, with `textContent` only, so nothing a ticket says is ever parsed as HTML.
 */
export function detailsHtml(page: DetailsPage): string {
  const nonce = escapeHtml(page.nonce);
  const styles = page.styles.map((href) => `  <link rel="stylesheet" nonce="${nonce}" href="${escapeHtml(href)}">`).join('\n');
  return `<!DOCTYPE html>
<html lang="${escapeHtml(page.lang)}">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(page.cspSource, page.nonce))}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
${styles}
</head>
<body>
  <main id="root" aria-live="polite"><p class="loading">${escapeHtml(page.loading)}</p></main>
  <script nonce="${nonce}" src="${escapeHtml(page.script)}"></script>
</body>
</html>
`;
}
