// Two phases of a load: the timeline is shown as soon as the records are indexed, while records
// are decoded and correlated for flows and findings; Cancel stops either phase promptly, even in
// the middle of one huge file, and keeps what finished.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { launch, openPage, waitReady, loadFiles, corpusFiles, foreignRequests, bigCtisvr, cleanTemp, SHOTS } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => {
  await browser?.close();
  // The generated logs are 75 MB and 190 MB: do not leave them behind.
  cleanTemp();
});

test('the timeline shows while flows are computed; Cancel stops the analysis and keeps the timeline', async () => {
  const file = bigCtisvr(600000);
  const { page, errors, requests, context } = await openPage(browser);
  await page.setInputFiles('#file-input', file);
  await page.waitForFunction(() => document.documentElement.dataset.state === 'analysing', null, { timeout: 120000 });
  // The merged view answers during the analysis.
  await page.waitForSelector('.trow[data-row]', { timeout: 30000 });
  assert.match(await page.locator('#progress[data-phase="analysing"] .nums').textContent(), /Decoding records|Correlating/);
  assert.match(await page.locator('#tab-timeline').textContent(), /600000/);
  await page.screenshot({ path: path.join(SHOTS, 'analysing.png') });
  await page.click('#cancel-button');
  await waitReady(page, 20000);
  const note = await page.locator('#load-note').textContent();
  assert.match(note, /flows and findings were not computed/);
  assert.equal(await page.locator('#load-note').getAttribute('data-analysed'), 'false');
  // The rows are fetched again once the load ends: the timeline stays.
  await page.waitForSelector('.trow[data-row]', { timeout: 10000 });
  assert.match(await page.locator('#tab-timeline').textContent(), /600000/);
  assert.deepEqual(foreignRequests(requests), []);
  assert.deepEqual(errors, []);
  await context.close();
});

// The worker answers in turn: what the page asks for when a load ends must be what it shows. On a
// busy day the hidden flow list's rows took the worker two seconds, and the timeline stayed blank
// behind them.
test('after a load the worker is asked for the timeline, not the hidden flow list; the list is asked for when its tab opens', async () => {
  const init = () => {
    const Real = window.Worker;
    window.__asked = [];
    window.Worker = function (...args) {
      const w = new Real(...args);
      const post = w.postMessage.bind(w);
      w.postMessage = (m, t) => {
        const kind = typeof m === 'string' && m.match(/"req":\{"t":"([a-z_]+)"/);
        if (kind) window.__asked.push(kind[1]);
        return post(m, t);
      };
      w.addEventListener('message', (e) => { if (typeof e.data === 'string' && e.data.startsWith('{"t":"loaded"')) window.__asked.push('LOADED'); });
      return w;
    };
    window.Worker.prototype = Real.prototype;
  };
  const { page, errors, requests, context } = await openPage(browser, { init });
  await loadFiles(page, corpusFiles('003-cce-task-routing'));
  await page.waitForSelector('.trow[data-row]');
  assert.match(await page.locator('#tab-flows').textContent(), /Flows \([1-9]/);
  const asked = await page.evaluate(() => window.__asked);
  assert.ok(asked.includes('rows'), asked.join(' '));
  assert.ok(!asked.includes('flow_list'), `the hidden flow list asked the worker: ${asked.join(' ')}`);
  // At the end of the load the timeline asks first; the state timelines and findings (10 MB and
  // more each on a day of logs) after it.
  const after = asked.slice(asked.lastIndexOf('LOADED'));
  assert.ok(after.includes('rows') && after.includes('states') && after.indexOf('rows') < after.indexOf('states') && after.indexOf('rows') < after.indexOf('findings'), after.join(' '));
  await page.click('#tab-flows');
  await page.waitForSelector('.flow-item');
  assert.ok((await page.evaluate(() => window.__asked)).includes('flow_list'));
  assert.deepEqual(foreignRequests(requests), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('Cancel in the middle of parsing one huge file stops within a second and keeps the records before it', async () => {
  const file = bigCtisvr(1500000);
  const { page, errors, requests, context } = await openPage(browser);
  await page.setInputFiles('#file-input', file);
  await page.waitForFunction(() => /parsing/.test(document.querySelector('#progress .current')?.textContent || ''), null, { timeout: 120000 });
  const t0 = Date.now();
  await page.click('#cancel-button');
  await page.waitForFunction(() => document.documentElement.dataset.state !== 'loading', null, { timeout: 10000 });
  const stopped = Date.now() - t0;
  console.log(`Cancel during the parse of one 1.5 M-line file: the load stopped after ${stopped} ms`);
  assert.ok(stopped < 1500, `Cancel is answered promptly (${stopped} ms)`);
  await waitReady(page, 60000);
  const problem = await page.locator('.frow-problem').allTextContents();
  assert.ok(problem.some((p) => /parsing cancelled at line \d+ of 1500000/.test(p)), JSON.stringify(problem));
  const n = Number((await page.locator('#tab-timeline').textContent()).match(/\d+/)[0]);
  assert.ok(n > 0 && n < 1500000, `the records before the cut are kept (${n})`);
  assert.deepEqual(foreignRequests(requests), []);
  assert.deepEqual(errors, []);
  await context.close();
});
