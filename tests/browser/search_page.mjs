// Headless-browser test of the public search page served by gongkai-searchd.
//
// Usage: node tests/browser/search_page.mjs BASE_URL [QUERY] [nosuggest]
//   BASE_URL   e.g. http://127.0.0.1:8080
//   QUERY      a query that has results in the served index (default 低保)
//   nosuggest  skip the suggestion check of step 1
//
// Needs `npm ci` in tests/browser (playwright-core) and Debian's chromium.
// Exits 0 when every step passed, 1 on the first failure.

import { chromium } from 'playwright-core';

const STEP_TIMEOUT = 10_000; // ms, the bound for every wait in a step
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

const [baseArg, query = '低保', suggestMode = ''] = process.argv.slice(2);
if (!baseArg) {
  console.error('usage: node search_page.mjs BASE_URL [QUERY] [nosuggest]');
  process.exit(2);
}
const base = baseArg.replace(/\/+$/, '');
const checkSuggest = suggestMode !== 'nosuggest';

class StepFailure extends Error {}
function check(cond, message) {
  if (!cond) throw new StepFailure(message);
}

// Runs one step with an overall deadline, so a hung page cannot stall the run.
let stepNo = 0;
async function step(title, fn) {
  stepNo++;
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new StepFailure(`timed out after ${STEP_TIMEOUT / 1000} s`)),
      STEP_TIMEOUT + 2_000); // the waits inside time out first with a better message
  });
  try {
    const note = await Promise.race([fn(), deadline]);
    console.log(`ok ${stepNo} - ${title}${note ? ` (${note})` : ''}`);
  } catch (err) {
    const msg = err instanceof StepFailure ? err.message : (err && err.message) || String(err);
    throw new StepFailure(`step ${stepNo} (${title}) failed: ${msg.split('\n')[0]}`);
  } finally {
    clearTimeout(timer);
  }
}

// The result count of the page on screen (the number in .summary b).
async function summaryCount(page) {
  const text = await page.locator('.summary b').first().textContent({ timeout: STEP_TIMEOUT });
  const n = Number.parseInt((text || '').replace(/[^0-9]/g, ''), 10);
  check(Number.isFinite(n), `.summary b does not hold a number: ${JSON.stringify(text)}`);
  return n;
}

// Waits until .summary b shows a number equal (same = true) or unequal to
// `value`. No eval in the page: a Content-Security-Policy may forbid it.
async function waitForCount(page, same, value, what) {
  try {
    await page.waitForFunction(([same, value]) => {
      const b = document.querySelector('#results .summary b');
      if (!b || document.getElementById('results').getAttribute('aria-busy') === 'true') return false;
      const n = parseInt(b.textContent.replace(/[^0-9]/g, ''), 10);
      return Number.isFinite(n) && (n === value) === same;
    }, [same, value], { timeout: STEP_TIMEOUT });
  } catch {
    const now = await page.locator('#results').innerText().catch(() => '?');
    throw new StepFailure(`${what}; #results now reads: ${now.slice(0, 160).replace(/\s+/g, ' ')}`);
  }
}

// app.js should replace #results from a partial=1 fetch, not reload the page.
async function inPlace(page) {
  check(await page.evaluate(() => window.__inPlace === true),
    'the page was reloaded instead of updated in place (did the partial=1 fetch fail?)');
}

const pageErrors = [];
function noPageErrors() {
  check(pageErrors.length === 0, `JavaScript error on the page: ${pageErrors.join(' | ')}`);
}

let browser;
try {
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, timeout: 30_000 });
  } catch (err) {
    throw new StepFailure(`cannot start ${CHROMIUM}: ${err.message.split('\n')[0]}`);
  }
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(STEP_TIMEOUT);
  context.setDefaultNavigationTimeout(STEP_TIMEOUT);
  const page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));

  let total = 0;        // N: results of the unfiltered query
  let unfilteredUrl = '';

  await step('type a query; suggestions appear', async () => {
    const res = await page.goto(`${base}/`);
    check(res && res.ok(), `GET ${base}/ answered ${res ? res.status() : 'nothing'}`);
    const box = page.locator('#q');
    await box.waitFor({ state: 'visible' });
    await box.fill(query);
    if (!checkSuggest) return 'suggestions not checked';
    const option = page.locator('#suggest [role="option"]');
    try {
      await option.first().waitFor({ state: 'visible' });
    } catch {
      throw new StepFailure(`#suggest did not show any role=option item for ${JSON.stringify(query)}`);
    }
    check(await page.locator('#suggest').isVisible(), '#suggest is not visible');
    const n = await option.count();
    check(n >= 1 && n <= 8, `#suggest shows ${n} options, expected 1 to 8`);
    await box.press('Escape');
    check(await page.locator('#suggest').isHidden(), 'Escape did not close #suggest');
    check((await box.inputValue()) === query, 'Escape on the open list changed the query box');
    noPageErrors();
    return `${n} suggestions`;
  });

  await step('submit the query; results appear', async () => {
    // The marker survives only if app.js loads the results in place.
    await page.evaluate(() => { window.__inPlace = true; });
    // A click on the button blurs the box, which closes any suggestion list.
    await page.locator('form.search button[type="submit"]').click();
    try {
      await page.locator('#results .hit').first().waitFor({ state: 'visible' });
    } catch {
      const now = await page.locator('#results').innerText().catch(() => '?');
      throw new StepFailure(`no .hit after submitting ${JSON.stringify(query)}; #results reads: ${now.slice(0, 160)}`);
    }
    await page.waitForURL((u) => u.searchParams.get('q') === query);
    check(!page.url().includes('partial='), `address bar shows the partial URL: ${page.url()}`);
    total = await summaryCount(page);
    check(total >= 1, `.summary count is ${total}`);
    unfilteredUrl = page.url();
    await inPlace(page);
    noPageErrors();
    return `N = ${total}`;
  });

  await step('narrow by a facet', async () => {
    // The first facet link, in page order, whose count is below N.
    const pick = await page.evaluate((n) => {
      const links = [...document.querySelectorAll('#results .facet li')];
      for (let i = 0; i < links.length; i++) {
        const a = links[i].querySelector('a[href]');
        const c = parseInt((links[i].querySelector('.count') || {}).textContent || '', 10);
        if (a && c >= 1 && c < n) {
          return { i, count: c, field: links[i].closest('.facet').dataset.field, label: a.textContent };
        }
      }
      return null;
    }, total);
    check(pick, `no facet link with a count below N = ${total}`);
    check(pick.field, 'the facet section has no data-field');
    await page.locator('#results .facet li').nth(pick.i).locator('a').click();
    await page.waitForURL((u) => u.searchParams.has(pick.field));
    await waitForCount(page, false, total, `the count stayed at ${total} after clicking ${pick.label}`);
    const n = await summaryCount(page);
    check(n >= 1 && n < total, `count after the ${pick.field} facet is ${n}, expected 1..${total - 1}`);
    check(new URL(page.url()).searchParams.has(pick.field), `URL lacks ${pick.field}=: ${page.url()}`);
    check(await page.locator('#results .hit').count() >= 1, 'no .hit after the facet click');
    await inPlace(page);
    noPageErrors();
    return `${pick.field}=${pick.label}: ${n} of ${total}`;
  });

  await step('back to all results; page 2', async () => {
    await page.goBack({ waitUntil: 'commit' });
    await page.waitForURL(unfilteredUrl);
    await waitForCount(page, true, total, `back did not restore the ${total} unfiltered results`);
    const boxValue = await page.locator('#q').inputValue();
    check(boxValue === query, `after back the box reads ${JSON.stringify(boxValue)}, not ${JSON.stringify(query)}`);
    if (total <= 10) return `skipped page 2: only ${total} results`;
    const link = page.locator('#results nav.pages a[href*="page=2"]').first();
    check(await link.count() === 1, 'no link to page=2 in nav.pages');
    await link.click();
    await page.waitForURL((u) => u.searchParams.get('page') === '2');
    const current = page.locator('#results nav.pages [aria-current="page"]');
    try {
      await page.waitForFunction(() => {
        const s = document.querySelector('#results nav.pages span[aria-current="page"]');
        return s && s.textContent.trim() === '2';
      }, null, { timeout: STEP_TIMEOUT });
    } catch {
      const txt = await current.first().textContent().catch(() => null);
      throw new StepFailure(`span[aria-current=page] reads ${JSON.stringify(txt)}, expected "2"`);
    }
    check(await page.locator('#results .hit').count() >= 1, 'page 2 shows no .hit');
    await inPlace(page);
    noPageErrors();
    return 'page 2 shown';
  });

  await step('no horizontal overflow at 360 px', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    // Wait two frames so layout has settled at the new width.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    check(width <= 360, `document is ${width} px wide at a 360 px viewport`);
    noPageErrors();
    return `scrollWidth ${width}`;
  });

  await step('results are server-rendered (JavaScript off)', async () => {
    const plain = await browser.newContext({ javaScriptEnabled: false });
    try {
      plain.setDefaultTimeout(STEP_TIMEOUT);
      plain.setDefaultNavigationTimeout(STEP_TIMEOUT);
      const p = await plain.newPage();
      const res = await p.goto(`${base}/?q=${encodeURIComponent(query)}`);
      check(res && res.ok(), `GET /?q= answered ${res ? res.status() : 'nothing'}`);
      const hits = await p.locator('#results .hit').count();
      check(hits >= 1, 'no .hit in the server-rendered page');
      return `${hits} hits`;
    } finally {
      await plain.close();
    }
  });

  console.log(`${stepNo} passed, 0 failed`);
} catch (err) {
  console.error(`FAIL: ${err instanceof StepFailure ? err.message : (err && err.stack) || err}`);
  console.error(`${Math.max(stepNo - 1, 0)} passed, 1 failed`);
  process.exitCode = 1;
} finally {
  if (browser) await browser.close().catch(() => {});
}
