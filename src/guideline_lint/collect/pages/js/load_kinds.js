// What each failed subresource was (arguments[0]: their URLs): 'script', 'stylesheet', 'data' (fetch, XHR) or null
// (images, icons, media, and what style sheets ask for: background images, fonts; the page is still built without
// them). Elements first: the resource timing buffer can be full (250 entries by default).
// Style sheets of web-font services only declare fonts (@font-face): without them the text falls back to another
// font, as with a font that failed.
const FONT_SHEET_HOSTS = new Set(['fonts.googleapis.com', 'use.typekit.net', 'fonts.bunny.net', 'fonts.loli.net']);
const fontSheet = url => { try { return FONT_SHEET_HOSTS.has(new URL(url).hostname); } catch (e) { return false; } };
const scripts = new Set(Array.from(document.scripts, s => s.src).filter(Boolean));
const sheets = new Set(Array.from(document.querySelectorAll('link[href]'))
  .filter(l => /(^|\s)stylesheet(\s|$)/i.test(l.rel)).map(l => l.href));
return arguments[0].map(url => {
  if (fontSheet(url)) return null;
  if (scripts.has(url)) return 'script';
  if (sheets.has(url)) return 'stylesheet';
  const entry = performance.getEntriesByName(url)[0];
  const kind = entry && entry.initiatorType;
  return kind === 'script' ? 'script' : kind === 'fetch' || kind === 'xmlhttprequest' ? 'data' : null;
});
