// Enhancements for the search page. The server renders every page in full,
// so everything here is optional: without this script the form and the
// links still work as plain GET navigation.
(() => {
  'use strict';

  const form = document.querySelector('form.search');
  const box = document.getElementById('q');
  const list = document.getElementById('suggest');
  const results = document.getElementById('results');
  if (!form || !box || !results || !window.fetch) return;

  const SUGGEST_DELAY = 120; // ms: feels live, yet skips most keystrokes
  const SUGGEST_MAX = 8;

  /* ---------------------------------------------------------------------
   * Progressive navigation: fetch only the inner HTML of #results.
   * ------------------------------------------------------------------- */

  // Path + query of what #results shows now, so that popstate can ignore
  // history entries that differ only by #hash.
  let shown = location.pathname + location.search;
  let navSeq = 0; // only the latest navigation may write into #results

  // Only result pages are loaded in place; the original files under
  // /api/items/ and anything off-site stay normal links.
  const isResultsUrl = (u) =>
    u.origin === location.origin && u.pathname === '/' && u.search.length > 1;

  async function load(url, push) {
    const target = new URL(url, location.href);
    target.searchParams.delete('partial'); // never show it in the address bar
    target.hash = '';
    const partial = new URL(target.href);
    partial.searchParams.set('partial', '1');
    const seq = ++navSeq;
    results.setAttribute('aria-busy', 'true');
    try {
      const res = await fetch(partial.href, { headers: { Accept: 'text/html' } });
      if (!res.ok) throw new Error('HTTP ' + res.status);
      const html = await res.text();
      if (seq !== navSeq) return; // a newer navigation has started
      // A server that ignored partial=1 would nest a whole page in #results.
      if (/<html[\s>]/i.test(html)) throw new Error('not a partial response');
      results.innerHTML = html;
      results.removeAttribute('aria-busy');
      shown = target.pathname + target.search;
      if (push) {
        history.pushState(null, '', target.href);
        window.scrollTo(0, 0);
      }
      syncBox(target);
    } catch (err) {
      if (seq !== navSeq) return;
      // Let the browser load the page itself. On popstate the address bar
      // already shows the URL, so replace instead of adding an entry.
      if (push) location.href = target.href;
      else location.replace(target.href);
    }
  }

  // The box shows the query of the page on screen (matters on back/forward).
  function syncBox(u) {
    box.value = u.searchParams.get('q') || '';
    closeSuggest();
  }

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    closeSuggest();
    const u = new URL(form.getAttribute('action') || '/', location.href);
    // A new query starts without filters: the form carries only q.
    u.search = new URLSearchParams(new FormData(form)).toString();
    load(u.href, true);
  });

  results.addEventListener('click', (ev) => {
    // New-tab, download and modified clicks are the browser's business.
    if (ev.defaultPrevented || ev.button !== 0 ||
        ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.altKey) return;
    const a = ev.target.closest('a[href]');
    if (!a || a.hasAttribute('download') || (a.target && a.target !== '_self')) return;
    const u = new URL(a.href, location.href);
    if (!isResultsUrl(u)) return;
    ev.preventDefault();
    load(u.href, true);
  });

  window.addEventListener('popstate', () => {
    if (location.pathname + location.search === shown) return; // hash-only change
    load(location.href, false);
  });

  /* ---------------------------------------------------------------------
   * Suggestions under the query box.
   * ------------------------------------------------------------------- */

  let timer = 0;
  let suggestSeq = 0; // only the latest request may fill the list
  let active = -1;    // index of the highlighted option, -1 for none

  function closeSuggest() {
    clearTimeout(timer);
    suggestSeq++; // answers still in flight are now stale
    if (!list) return;
    list.hidden = true;
    list.textContent = '';
    active = -1;
    box.setAttribute('aria-expanded', 'false');
    box.removeAttribute('aria-activedescendant');
  }

  if (!list) return;

  // Combobox semantics only hold while this script runs, so they are set here.
  box.setAttribute('role', 'combobox');
  box.setAttribute('aria-autocomplete', 'list');
  box.setAttribute('aria-controls', list.id);
  box.setAttribute('aria-expanded', 'false');

  const options = () => list.querySelectorAll('[role="option"]');

  function setActive(i) {
    const opts = options();
    if (!opts.length) return;
    // Wrap through "nothing highlighted" so the typed text can be kept.
    if (i < -1) i = opts.length - 1;
    if (i >= opts.length) i = -1;
    active = i;
    opts.forEach((o, k) => o.setAttribute('aria-selected', String(k === i)));
    if (i >= 0) {
      box.setAttribute('aria-activedescendant', opts[i].id);
      opts[i].scrollIntoView({ block: 'nearest' });
    } else {
      box.removeAttribute('aria-activedescendant');
    }
  }

  function render(items) {
    list.textContent = '';
    active = -1;
    box.removeAttribute('aria-activedescendant');
    items
      .filter((s) => s && typeof s.title === 'string' && s.title)
      .slice(0, SUGGEST_MAX)
      .forEach((s, i) => {
        const li = document.createElement('li');
        li.id = 'suggest-' + i;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', 'false');
        li.textContent = s.title; // text, never HTML: titles come from documents
        list.appendChild(li);
      });
    const open = list.children.length > 0;
    list.hidden = !open;
    box.setAttribute('aria-expanded', String(open));
  }

  function pick(li) {
    box.value = li.textContent;
    closeSuggest();
    // requestSubmit runs the submit handler (and so the in-place load).
    if (form.requestSubmit) form.requestSubmit();
    else form.submit();
  }

  async function fetchSuggest(text) {
    const seq = ++suggestSeq;
    try {
      const res = await fetch('/api/suggest?q=' + encodeURIComponent(text),
        { headers: { Accept: 'application/json' } });
      if (!res.ok) throw new Error('HTTP ' + res.status);
      const data = await res.json();
      // Drop out-of-order answers, and answers for a box that has since
      // changed or lost focus.
      if (seq !== suggestSeq || box.value.trim() !== text || document.activeElement !== box) return;
      render(data && Array.isArray(data.suggestions) ? data.suggestions : []);
    } catch (err) {
      // Suggestions are a convenience: on error just show none.
      if (seq === suggestSeq) closeSuggest();
    }
  }

  box.addEventListener('input', () => {
    const text = box.value.trim();
    if (!text) { closeSuggest(); return; }
    clearTimeout(timer);
    timer = setTimeout(() => fetchSuggest(text), SUGGEST_DELAY);
  });

  box.addEventListener('keydown', (ev) => {
    // While an IME is composing Chinese, Enter and arrows belong to the IME.
    if (ev.isComposing || ev.keyCode === 229) return;
    const open = !list.hidden;
    if (ev.key === 'ArrowDown' && open) {
      ev.preventDefault();
      setActive(active + 1);
    } else if (ev.key === 'ArrowUp' && open) {
      ev.preventDefault();
      setActive(active - 1);
    } else if (ev.key === 'Enter' && open && active >= 0) {
      ev.preventDefault();
      pick(options()[active]);
    } else if (ev.key === 'Escape') {
      if (open) ev.preventDefault();
      closeSuggest();
    }
  });

  // A mousedown on the list would blur the box, closing the list before
  // the click could pick anything.
  list.addEventListener('mousedown', (ev) => ev.preventDefault());
  list.addEventListener('click', (ev) => {
    const li = ev.target.closest('[role="option"]');
    if (li) pick(li);
  });

  box.addEventListener('blur', closeSuggest);
})();
