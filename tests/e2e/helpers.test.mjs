// Helper workers (issue 13, speed in the browser): the page starts one helper per core beyond the
// engine's (at most three), and the engine hands each a range of the records to decode while it
// decodes the first range itself. What the user sees must not depend on it: the same records, flows,
// findings and state timelines with helpers as without; and a helper that dies in the middle of its
// range costs only time (the engine decodes that range itself and the load note says why).
//
// The number of cores the page sees is set (`cores(n)`), so the tests do not depend on the machine.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, waitReady, foreignRequests, benchBundle, corpusFiles, shot, tabCount, cores, workersByRole } from './lib.mjs';

let browser;
let bench;
before(async () => { browser = await launch(); bench = benchBundle(); });
after(async () => { await browser?.close(); });

/** What a user sees of an analysis: the tabs' counts, the findings as listed, the first flows. */
async function seen(page) {
  const out = {};
  for (const tab of ['tab-timeline', 'tab-flows', 'tab-findings', 'tab-states']) out[tab] = await tabCount(page, tab);
  await page.click('#tab-findings');
  if (out['tab-findings'] > 0) await page.waitForSelector('#findings [data-finding]');
  out.findings = await page.locator('#findings').innerText();
  await page.click('#tab-flows');
  if (out['tab-flows'] > 0) await page.waitForSelector('#flow-scroll [data-flow-kind]');
  out.flows = await page.locator('#flow-scroll').innerText();
  return out;
}

/** Loads `files` with the page seeing `n` cores; returns what it showed and the load note. */
async function load(files, n, { before: beforeLoad = async () => {} } = {}) {
  const { page, requests, errors, context } = await openPage(browser, { init: cores(n) + 'window.SWITCHBOARD_SHARE_MIN_BYTES = 0;' });
  await page.waitForSelector('#app[data-engine]');
  await beforeLoad(page);
  await page.setInputFiles('#file-input', files);
  await waitReady(page, 180000);
  const note = page.locator('#load-note');
  const report = {
    helpers: Number(await note.getAttribute('data-helpers')),
    records: Number(await note.getAttribute('data-helper-records')),
    failed: await note.getAttribute('data-helper-failed'),
    text: await note.innerText(),
    analysed: await note.getAttribute('data-analysed'),
  };
  const view = await seen(page);
  assert.deepEqual(foreignRequests(requests), []);
  assert.equal(await page.locator('#engine-died').count(), 0, 'the engine did not die');
  return { page, context, errors, report, view };
}

test('the corpus and the bench bundle read the same with three helpers, one, or none', async () => {
  for (const [what, files] of [['corpus', corpusFiles()], ['bench bundle', [bench]]]) {
    const alone = await load(files, 1);
    assert.equal(alone.report.helpers, 0, `${what}: one core, no helper`);
    await alone.context.close();
    for (const n of [2, 4]) {
      const r = await load(files, n);
      assert.equal(r.report.analysed, 'true');
      assert.equal(r.report.helpers, n - 1, `${what}: ${n} cores, ${n - 1} helper(s): ${r.report.text}`);
      assert.ok(r.report.records > 0, `${what}: the helpers decoded records`);
      assert.equal(r.report.failed, '', `${what}: no helper failed`);
      assert.match(r.report.text, /Records decoded by the engine and \d helper worker/);
      assert.deepEqual(r.view, alone.view, `${what}: the same analysis with ${n - 1} helper(s)`);
      assert.deepEqual(r.errors, []);
      if (what === 'bench bundle' && n === 4) {
        // Each helper is a worker of its own; after the load the page starts fresh ones (a
        // helper keeps the memory its range took).
        const roles = workersByRole(r.page);
        assert.equal(roles.engine.length, 1);
        assert.equal(roles.helpers.length, 3);
        await shot(r.page, 'helpers-flows');
      }
      console.log(`${what}, ${n} cores: ${r.report.text}`);
      await r.context.close();
    }
  }
});

test('a helper that dies mid-range costs only time: the engine decodes its range and says so', async () => {
  const alone = await load([bench], 1);
  await alone.context.close();
  // Every helper traps at its first chunk of answers (the wasm `unreachable`, as a real bug would).
  const r = await load([bench], 3, {
    before: async (page) => {
      let helpers = [];
      for (let i = 0; i < 100 && helpers.length < 2; i++) {
        helpers = workersByRole(page).helpers;
        if (helpers.length < 2) await page.waitForTimeout(100);
      }
      assert.equal(helpers.length, 2, 'the page started two helpers');
      for (const h of helpers) await h.evaluate(() => { self.__sbTestTrap = 'trap'; });
    },
  });
  assert.equal(r.report.analysed, 'true');
  assert.equal(r.report.helpers, 2);
  assert.equal(r.report.records, 0, 'no helper answered');
  assert.match(r.report.failed, /helper \d stopped/);
  assert.match(r.report.text, /A helper's records were decoded by the engine instead \(helper \d stopped\)/);
  assert.deepEqual(r.view, alone.view, 'the same analysis as the engine alone');
  // The page started new helpers for the next load.
  const roles = workersByRole(r.page);
  assert.equal(roles.helpers.length, 2);
  await r.context.close();
});
