// A case from the page (issue 15): bookmarks with notes on a timeline row (the `b` key) and on a
// diagram step (a click), a named filter set, a clock set by hand, Save session (one .switchboard
// download), the saved file dropped on a FRESH page bringing all of it back, and the case report
// (self-contained HTML with inline SVG flows and the bookmarked lines with their notes; sanitized,
// without the input's credentials). Real keys, clicks and typing; no request may leave the page.
// Screenshots of the bookmarks panel and the report dialog at both sizes go to docs/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  launch, openPage, loadFiles, dropFiles, waitReady, foreignRequests, corpusFiles, tempDir, cleanTemp, openFileList, rowCount, ROOT,
} from './lib.mjs';

const DOCS = path.join(ROOT, 'docs/screenshots');
fs.mkdirSync(DOCS, { recursive: true });
// Basic credentials (2001:2001) the Openfire debug log and the access log quote.
const SECRET = 'MjAwMToyMDAx';
const ROW_NOTE = 'Basic credentials in the Openfire debug log';
const STEP_NOTE = 'the desktop signs in here';
const FILTER = 'authorization lines';

let browser;
let saved; // the .switchboard file test 1 downloads, test 2 opens
let before1; // what test 1 saw before saving
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); cleanTemp(); });

/** Waits for a download started by `click` and keeps it; returns its name and path. */
async function download(page, click) {
  const [d] = await Promise.all([page.waitForEvent('download'), click()]);
  const file = path.join(tempDir(), d.suggestedFilename());
  await d.saveAs(file);
  return { name: d.suggestedFilename(), file };
}

const fileRows = (page) => page.$$eval('[data-file-row]', (rows) => rows.map((r) => ({
  format: r.dataset.format, path: r.querySelector('.path')?.title,
  clock: r.querySelector('.clock')?.textContent || '',
})));
const notes = (page) => page.$$eval('#bookmark-list .bm-note', (t) => t.map((x) => x.value));
const filterSets = (page) => page.$$eval('#filter-sets [data-filter-set]', (l) => l.map((x) => x.dataset.filterSet));

async function openPanel(page) {
  if (!(await page.locator('#bookmarks-panel').isVisible())) await page.click('#bookmarks-button');
  await page.waitForSelector('#bookmarks-panel', { state: 'visible' });
}
async function closePanel(page) {
  if (await page.locator('#bookmarks-panel').isVisible()) await page.click('#bookmarks-button');
}

test('1. bookmarks on a row (b) and a step (click), notes, a filter set and a clock go into one session file; the report holds them', async () => {
  const { page, requests, context } = await openPage(browser, { viewport: { width: 1440, height: 900 } });
  try {
    await loadFiles(page, corpusFiles('001-finesse-login'));
    // A clock set by hand.
    await openFileList(page);
    const editable = page.locator('[data-file-row]:has(.clock-link)').first();
    const clockFile = await editable.locator('.path').getAttribute('title');
    await editable.locator('.clock-link').click();
    await page.fill('#clock-date', '2013-04-23');
    await page.fill('#clock-offset', '+0530');
    await page.click('#clock-apply');
    await page.waitForFunction((p) => /UTC\+0530/.test([...document.querySelectorAll('[data-file-row]')].find((r) => r.querySelector('.path')?.title === p)?.querySelector('.clock')?.textContent || ''), clockFile);
    await page.click('#files-toggle');

    // Search with the keyboard, go to the first match, bookmark it with b.
    await page.keyboard.press('/');
    await page.keyboard.type('Authorization');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.trow.selected');
    await page.keyboard.press('Escape');
    await page.keyboard.press('b');
    await page.waitForSelector('.trow.selected[data-bookmarked]');
    // The detail pane's button says so; a click takes the bookmark away, another puts it back.
    await page.locator('.trow.selected').click();
    await page.waitForSelector('#bookmark-record.on');
    await page.click('#bookmark-record');
    await page.waitForSelector('.trow.selected:not([data-bookmarked])');
    await page.click('#bookmark-record');
    await page.waitForSelector('.trow.selected[data-bookmarked]');
    const markedRow = await page.locator('.trow.selected').textContent();
    assert.match(markedRow, /Authorization|authorization/i, 'the bookmarked row is the match');
    assert.equal(await page.locator('#bookmarks-button').textContent(), '★ 1');

    // A note, typed in the panel; the current search (only the matching rows) saved as a named filter set.
    await page.locator('#only-matching').click();
    await page.waitForFunction(() => !/^58 rows/.test(document.getElementById('match-count')?.textContent || ''));
    const matches = await rowCount(page);
    await openPanel(page);
    await page.locator('#bookmark-list .bm-note').first().click();
    await page.keyboard.type(ROW_NOTE);
    await page.locator('#filter-name').click();
    await page.keyboard.type(FILTER);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`#filter-sets [data-filter-set="${FILTER}"]`);
    assert.match(await page.locator('#filter-sets .fs-desc').first().textContent(), /text "Authorization".*only matching/);
    await page.locator('#case-title').click();
    await page.keyboard.type('Agent 2001 signs in');
    await closePanel(page);
    await page.locator('#only-matching').click();
    await page.waitForFunction(() => /^58 rows/.test(document.getElementById('match-count')?.textContent || ''));

    // A flow step, bookmarked with a click.
    await page.click('#tab-flows');
    await page.locator('.flow-item').first().click();
    await page.waitForSelector('#flow-svg g.step');
    const step = page.locator('#flow-svg g.step').nth(1);
    const box = await step.locator('rect.hit').boundingBox();
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForSelector('#flow-svg g.step.selected');
    await page.click('#bookmark-step');
    await page.waitForSelector('#flow-svg g.step.selected[data-bookmarked]');
    assert.match(await page.locator('.dtimes text.time').nth(1).textContent().catch(() => '★'), /★|\d/);
    const flowKind = await page.locator('[data-flow-kind]').getAttribute('data-flow-kind');
    const stepIndex = await page.locator('#flow-svg g.step.selected').getAttribute('data-step');
    await openPanel(page);
    await page.waitForFunction(() => document.querySelectorAll('#bookmark-list .bm').length === 2);
    await page.locator('#bookmark-list .bm-note').nth(1).click();
    await page.keyboard.type(STEP_NOTE);
    assert.deepEqual(await notes(page), [ROW_NOTE, STEP_NOTE]);
    // The panel's screenshot at the desktop size.
    // A click on the row bookmark shows its record, marked, in the timeline.
    await page.locator('#bookmark-list .bm[data-kind="record"] .bm-show').click();
    await page.waitForSelector('#tab-timeline.active');
    await page.waitForSelector('.trow.selected[data-bookmarked]');
    await page.screenshot({ path: path.join(DOCS, 'bookmarks-1440x900.png') });

    // Save session: one download.
    await closePanel(page);
    const rowsShown = await rowCount(page);
    const s = await download(page, () => page.click('#save-session'));
    assert.equal(s.name, 'case.switchboard');
    const head = fs.readFileSync(s.file).subarray(0, 60).toString('latin1');
    assert.ok(head.startsWith('PK') && head.includes('switchboard-session.json'), 'a zip whose first member is the manifest');
    await page.waitForFunction(() => /case\.switchboard downloaded/.test(document.getElementById('session-note')?.textContent || ''));
    saved = s.file;
    await openFileList(page);
    before1 = { files: await fileRows(page), flowKind, stepIndex, rowsShown, matches };
    assert.ok(before1.files.some((f) => /UTC\+0530/.test(f.clock)), 'the clock set by hand is shown');
    await page.click('#files-toggle');

    // The report: self-contained, inline SVG flows, the bookmarked lines with their notes.
    await page.click('#export-report');
    await page.waitForSelector('#report-dialog', { state: 'visible' });
    assert.ok(await page.locator('#report-flows li').count() >= 1, 'the report draws at least the bookmarked flow');
    await page.screenshot({ path: path.join(DOCS, 'report-1440x900.png') });
    const plain = await download(page, () => page.click('#report-html'));
    const html = fs.readFileSync(plain.file, 'utf8');
    assert.equal(plain.name, 'switchboard-report.html');
    assertSelfContained(html);
    assert.match(html, /<svg/);
    assert.ok(html.includes(ROW_NOTE) && html.includes(STEP_NOTE), 'the notes are in the report');
    assert.ok(html.includes('Agent 2001 signs in'), 'the case title heads it');
    assert.ok(html.includes(SECRET), 'unsanitized, the bookmarked line is there as written');
    // Sanitized: the credentials are gone, the notes stay.
    await page.locator('#report-sanitize').check();
    const clean = await download(page, () => page.click('#report-html'));
    if (process.env.KEEP_REPORT) fs.copyFileSync(plain.file, process.env.KEEP_REPORT);
    const chtml = fs.readFileSync(clean.file, 'utf8');
    assertSelfContained(chtml);
    assert.ok(!chtml.includes(SECRET), 'no credentials in the sanitized report');
    assert.ok(chtml.includes(ROW_NOTE), 'the notes stay in the sanitized report');
    // With personal data masked too, the agent PC's address is gone as well.
    assert.ok(html.includes('10.10.10.211'));
    await page.locator('#report-personal').check();
    const masked = fs.readFileSync((await download(page, () => page.click('#report-html'))).file, 'utf8');
    assert.ok(!masked.includes(SECRET) && !masked.includes('10.10.10.211'), 'no credentials or IP addresses with personal data masked');
    assert.ok(masked.includes(ROW_NOTE), 'the notes stay');
    await page.waitForFunction(() => /values masked/.test(document.getElementById('report-note')?.textContent || ''));
    const md = await download(page, () => page.click('#report-markdown'));
    assert.equal(md.name, 'switchboard-report.md');
    assert.ok(!fs.readFileSync(md.file, 'utf8').includes(SECRET));
    assert.deepEqual(foreignRequests(requests), [], 'no request leaves the page');
  } finally {
    await context.close();
  }
});

function assertSelfContained(html) {
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'/);
  assert.doesNotMatch(html, /(src|href)\s*=\s*["']?\s*(https?:)?\/\//i, 'no reference out of the file');
  assert.doesNotMatch(html, /<script/i, 'no script');
}

test('2. the session file dropped on a fresh page brings back the files, the clock, the bookmarks, the notes and the filter set', async () => {
  assert.ok(saved, 'test 1 saved a session');
  for (const viewport of [{ width: 1440, height: 900 }, { width: 1024, height: 700 }]) {
    const { page, requests, context } = await openPage(browser, { viewport });
    try {
      await dropFiles(page, [saved]);
      await waitReady(page);
      await page.waitForSelector('.trow[data-row]');
      await page.waitForFunction(() => /Session opened/.test(document.getElementById('session-note')?.textContent || ''));
      await openFileList(page);
      assert.deepEqual(await fileRows(page), before1.files, 'the same files, formats and clocks');
      await page.click('#files-toggle');
      assert.equal(await page.locator('#bookmarks-button').textContent(), '★ 2');
      await openPanel(page);
      assert.deepEqual(await notes(page), [ROW_NOTE, STEP_NOTE]);
      assert.deepEqual(await filterSets(page), [FILTER]);
      assert.equal(await page.locator('#case-title').inputValue(), 'Agent 2001 signs in');
      // The filter set applies; the bookmarked row is marked in it.
      await page.locator('#filter-sets .fs-apply').first().click();
      await page.waitForFunction(() => document.getElementById('search')?.value === 'Authorization' && document.getElementById('only-matching')?.checked);
      await page.waitForFunction((n) => Number(document.getElementById('match-count')?.textContent.match(/\d+/)?.[0]) === n, before1.matches);
      assert.ok(before1.matches < before1.rowsShown, `the filter set narrows the rows (${before1.matches} of ${before1.rowsShown})`);
      await page.waitForSelector('.trow[data-bookmarked]');
      if (viewport.width === 1024) await page.screenshot({ path: path.join(DOCS, 'bookmarks-1024x700.png') });
      // The step bookmark opens its flow at its step, marked.
      await page.locator('#bookmark-list .bm[data-kind="step"] .bm-show').click();
      await page.waitForSelector('#flow-svg g.step.selected[data-bookmarked]');
      assert.equal(await page.locator('[data-flow-kind]').getAttribute('data-flow-kind'), before1.flowKind);
      assert.equal(await page.locator('#flow-svg g.step.selected').getAttribute('data-step'), before1.stepIndex);
      // The row bookmark shows its record in the timeline.
      await page.locator('#bookmark-list .bm[data-kind="record"] .bm-show').click();
      await page.waitForSelector('.trow.selected[data-bookmarked]');
      if (viewport.width === 1024) {
        await closePanel(page);
        await page.click('#export-report');
        await page.waitForSelector('#report-dialog', { state: 'visible' });
        await page.screenshot({ path: path.join(DOCS, 'report-1024x700.png') });
      }
      assert.deepEqual(foreignRequests(requests), [], 'no request leaves the page');
    } finally {
      await context.close();
    }
  }
});

test('3. the help lists every finding code of the catalogue with its meaning and next step', async () => {
  const { page, requests, context } = await openPage(browser, { viewport: { width: 1440, height: 900 } });
  try {
    await page.click('#help-button');
    await page.waitForSelector('#help-panel', { state: 'visible' });
    const codes = await page.$$eval('#catalogue [data-code]', (l) => l.map((x) => x.dataset.code));
    const doc = fs.readFileSync(path.join(ROOT, 'docs/findings.md'), 'utf8');
    assert.ok(codes.length >= 20, `codes listed: ${codes.length}`);
    for (const c of codes) assert.ok(doc.includes(c), `${c} is documented too`);
    assert.match(await page.locator('#catalogue [data-code="presence-driven-logout"]').textContent(), /Next: /);
    await page.locator('#catalogue-filter').click();
    await page.keyboard.type('logout');
    await page.waitForFunction(() => document.querySelectorAll('#catalogue [data-code]').length < 10);
    assert.deepEqual(foreignRequests(requests), []);
  } finally {
    await context.close();
  }
});
