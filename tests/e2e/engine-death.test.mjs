// A dying engine loses nothing (issue 13, the page's side): when the worker runs out of memory or
// traps in the middle of the analysis, the page says so at once (which phase, which limit), leaves
// data-state="analysing", starts a new worker and reads the files it still holds again, so the
// timeline comes back.
//
// The worker is made to die for real: the test sets `self.__sbTestTrap` inside it (Playwright can
// evaluate in a page's workers), and the engine's next analysis step does what the allocator does when
// an allocation of 1.5 GiB fails ("oom": its report to the page, then Rust's abort, which traps — the
// test does not fill 4 GiB of the machine's memory first) or runs the wasm
// `unreachable` instruction ("trap").
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, waitReady, foreignRequests, benchBundle, shot, tabCount, rowsInView, workersByRole } from './lib.mjs';

let browser;
let bench;
before(async () => { browser = await launch(); bench = benchBundle(); });
after(async () => { await browser?.close(); });

async function killMidAnalysis(page, how) {
  await page.waitForFunction(() => document.documentElement.dataset.state === 'analysing', null, { timeout: 60000 });
  const workers = workersByRole(page).engine;
  assert.equal(workers.length, 1, 'one engine worker');
  if (how === 'js-throw') {
    await workers[0].evaluate(() => { Date.now = () => { throw new Error('simulated engine death'); }; });
  } else {
    await workers[0].evaluate((h) => { self.__sbTestTrap = h; }, how);
  }
}

const CASES = [
  // Works on any build (also the one before the fix, which stays at "analysing" with only a console
  // error): the glue's Date.now throws inside the engine's analysis step, which kills the engine's
  // task the way a trap does.
  ['js-throw', /stopped during the analysis.*simulated engine death/],
  // The allocator's report and abort (a real out-of-memory).
  ['oom', /ran out of memory during the analysis.*needed 1\.61 GB more with [\d.]+ [KMG]B of WebAssembly memory in use.*ends at 4 GiB/],
  // A wasm trap (RuntimeError: unreachable).
  ['trap', /stopped during the analysis.*unreachable/i],
];

for (const [how, said] of CASES) {
  test(`the engine dies mid-analysis (${how}): the page says which phase and limit, restarts it and reloads the timeline`, async () => {
    const { page, requests, context } = await openPage(browser, { viewport: { width: 1440, height: 900 } });
    await page.setInputFiles('#file-input', bench);
    const records = await (async () => { await page.waitForFunction(() => document.documentElement.dataset.state === 'analysing', null, { timeout: 60000 }); return tabCount(page, 'tab-timeline'); })();
    const t0 = Date.now();
    await killMidAnalysis(page, how);
    await page.waitForSelector('#engine-died', { timeout: 5000 });
    const told = Date.now() - t0;
    const text = await page.locator('#engine-died').textContent();
    console.log(`engine died (${how}): the page said so after ${told} ms: ${text}`);
    assert.match(text, said);
    assert.match(text, /reading your 1 input again/);
    assert.notEqual(await page.evaluate(() => document.documentElement.dataset.state), 'analysing', 'the page left the analysing state');
    // The new engine reads the file again: the timeline is back, the analysis is not run again.
    await waitReady(page, 60000);
    assert.equal(await tabCount(page, 'tab-timeline'), records, 'every record is back');
    await page.waitForSelector('.trow[data-row]');
    assert.ok((await rowsInView(page)).length > 10);
    assert.match(await page.locator('#load-note').textContent(), /flows and findings were not computed: the engine/);
    assert.equal(workersByRole(page).engine.length, 1, 'the dead worker is gone; one new engine runs');
    // The new engine answers queries.
    await page.fill('#search', 'AGENT_STATE');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.trow.selected');
    await shot(page, `engine-died-${how}`);
    assert.deepEqual(foreignRequests(requests), []);
    await context.close();
  });
}
