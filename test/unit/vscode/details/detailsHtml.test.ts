import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contentSecurityPolicy, detailsHtml, escapeHtml, makeNonce } from '../../../../src/vscode/details/detailsHtml';

const root = join(__dirname, '..', '..', '..', '..');

describe('details panel page', () => {
  const page = {
    cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
    nonce: 'abc123+/=',
    styles: ['https://file+.vscode-resource.vscode-cdn.net/ext/media/details/details.css'],
    script: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/details/details.js',
    lang: 'en',
    loading: 'Loading ticket #<b>1</b>…',
  };

  it('has the strict policy: nothing by default, our own styles, fonts and images, scripts only with the nonce', () => {
    assert.equal(
      contentSecurityPolicy(page.cspSource, 'N0nce'),
      "default-src 'none'; style-src https://file+.vscode-resource.vscode-cdn.net 'nonce-N0nce'; script-src 'nonce-N0nce'; img-src https://file+.vscode-resource.vscode-cdn.net data:; font-src https://file+.vscode-resource.vscode-cdn.net",
    );
    const html = detailsHtml(page);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html);
    assert.ok(csp, html);
    assert.match(csp[1], /script-src &#39;nonce-abc123\+\/=&#39;;/);
  });

  it('gives every script and stylesheet the nonce, and has no inline script, style or handler', () => {
    const html = detailsHtml(page);
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    assert.equal(scripts.length, 1);
    for (const tag of scripts) assert.match(tag, /nonce="abc123\+\/="/);
    assert.match(html, /<script nonce="abc123\+\/=" src="[^"]+details\.js"><\/script>/);
    for (const link of html.matchAll(/<link\b[^>]*>/g)) assert.match(link[0], /nonce="abc123\+\/="/);
    assert.doesNotMatch(html, /\son[a-z]+=/i);
    assert.doesNotMatch(html, /<style|style="/);
  });

  it('escapes what it writes, so the loading text stays text', () => {
    assert.match(detailsHtml(page), /<p class="loading">Loading ticket #&lt;b&gt;1&lt;\/b&gt;…<\/p>/);
    assert.equal(escapeHtml(`<img src=x onerror="a('1')">&`), '&lt;img src=x onerror=&quot;a(&#39;1&#39;)&quot;&gt;&amp;');
  });

  it('makes a fresh 128-bit nonce each time', () => {
    const nonces = new Set(Array.from({ length: 50 }, makeNonce));
    assert.equal(nonces.size, 50);
    for (const nonce of nonces) assert.equal(Buffer.from(nonce, 'base64').length, 16);
  });

  it('builds the page with text nodes only: the script never parses markup', () => {
    const script = readFileSync(join(root, 'media', 'details', 'details.js'), 'utf8');
    assert.doesNotMatch(script, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function|setAttribute\(\s*['"](on|style|href|src)/);
    assert.match(script, /textContent/);
  });
});
