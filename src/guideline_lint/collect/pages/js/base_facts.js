// Facts every page gets: fields per form (KPI 利用者の入力項目削減数), http: subresources, and whether
// the page could trap the keyboard (a Tab walk is worth it). The body of an async function.
const fieldSelector = 'input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=reset])'
  + ':not([type=image]), select, textarea';
const forms = [];
for (const form of document.querySelectorAll('form')) {
  forms.push({selector: gl.selector(form), fields: form.querySelectorAll(fieldSelector).length});
}
const loose = Array.from(document.querySelectorAll(fieldSelector)).filter(el => !el.closest('form')).length;
if (loose) forms.push({selector: '(no form)', fields: loose});
const httpResources = [];
for (const el of document.querySelectorAll('[src], link[href], object[data], form[action]')) {
  if (el.localName === 'link' && !/stylesheet|icon|preload|manifest/i.test(el.rel || '')) continue;
  const value = el.getAttribute('src') || el.getAttribute('href') || el.getAttribute('data')
    || el.getAttribute('action');
  if (value && /^http:/i.test(value)) httpResources.push(value);
}
for (const entry of performance.getEntriesByType('resource')) {
  if (/^http:/i.test(entry.name)) httpResources.push(entry.name);
}
// Visible tabbable elements, counted up to 2 (all the decision needs; a big page has thousands of links).
let tabbable = 0;
for (const el of document.querySelectorAll(
  'a[href], button, input:not([type=hidden]), select, textarea, summary, iframe, [tabindex]')) {
  if (el.tabIndex >= 0 && !el.disabled && gl.visible(el) && ++tabbable >= 2) break;
}
const inline = document.querySelector('[onblur], [onfocusout]') !== null;
// Focus handlers added by scripts are counted in the page's world (focus_hook.js): asked for separately.
const keyboardCandidate = tabbable > 1 && inline;
return {forms, httpResources: Array.from(new Set(httpResources)).slice(0, 50), keyboardCandidate, tabbable};
