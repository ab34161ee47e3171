// End-to-end, issue 12 on the page: each file row says how well the file was read (and why not),
// the lines no family read can be shown alone, and a file can be read again as another format.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, openPage, loadFiles, openFileList, rowCount, shot, foreignRequests, tempDir, cleanTemp, SIZES } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); cleanTemp(); });

// An Openfire all.log with one line another writer put in (the generic layer reads it).
const ALL_LOG = `2021.03.04 10:00:01 INFO  [TaskEngine-pool-1]: org.jivesoftware.openfire.http.HttpSessionManager - Session 5e1f was last active PT40S ago
2021.03.04 10:00:02 WARN  [qtp55-12]: org.jivesoftware.openfire.http.HttpBindServlet - HTTP ERR(5e1f): terminate, item-not-found.
Thu Mar  4 10:00:03 2021 something written by another writer
2021.03.04 10:00:04 INFO  [TaskEngine-pool-1]: org.jivesoftware.openfire.http.HttpSessionManager - Closing idle session 5e1f
`;

function files() {
  const dir = tempDir();
  const all = path.join(dir, 'all.log');
  fs.writeFileSync(all, ALL_LOG);
  const notes = path.join(dir, 'notes.txt');
  fs.writeFileSync(notes, 'a note from the customer\nsecond line\n');
  return [all, notes];
}

const row = (page, name) => page.locator('[data-file-row]', { has: page.locator(`.path[title$="${name}"]`) });

for (const viewport of SIZES) {
  test(`coverage per file, unread lines alone, and a format chosen by hand (${viewport.width}×${viewport.height})`, async () => {
    const { page, requests, errors, context } = await openPage(browser, { viewport });
    await loadFiles(page, files());
    assert.equal(await rowCount(page), 6);
    await openFileList(page);
    const all = row(page, 'all.log');
    assert.equal(await all.getAttribute('data-format'), 'openfire-all');
    assert.match(await all.locator('.cov').textContent(), /^75 % read · 100 % timed$/);
    assert.match(await row(page, 'notes.txt').locator('.cov').textContent(), /^generic · 0 % timed$/);
    const why = page.locator('[data-coverage-why]').first();
    assert.match(await why.textContent(), /does not read/);
    await shot(page, 'file-coverage');

    // Only what the family did not read.
    await why.locator('.show-unread').click();
    await page.waitForSelector('#unread-chip');
    await page.waitForFunction(() => /^1 /.test(document.querySelector('#match-count')?.textContent || ''));
    assert.match(await page.locator('.trow[data-row]').first().textContent(), /another writer/);
    await page.click('#unread-chip');
    await page.waitForFunction(() => /^6 /.test(document.querySelector('#match-count')?.textContent || ''));

    // Read as plain text, then as the family again: the row and the timeline follow.
    await page.click('#files-toggle');
    await page.waitForSelector('#files-panel', { state: 'visible' });
    await all.locator('.fmt-link').click();
    const picker = page.locator('select.format-picker');
    await picker.waitFor();
    const offered = await picker.locator('option').allTextContents();
    assert.match(offered[1], /^openfire-all \(reads it: \d+\)$/, 'the best reader first');
    assert.ok(offered.length > 30, `every format is offered (${offered.length})`);
    await picker.selectOption('text');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-file-row]')].some((r) => r.dataset.format === 'text' && r.textContent.includes('all.log')));
    assert.match(await all.locator('.fmt-link').textContent(), /text ✎/);
    assert.equal(await rowCount(page), 6, 'the same lines, read as text');
    await all.locator('.fmt-link').click();
    await page.locator('select.format-picker').selectOption('openfire-all');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-file-row]')].some((r) => r.dataset.format === 'openfire-all'));
    assert.match(await all.locator('.fmt-link').textContent(), /openfire-all ✎/);
    assert.deepEqual(foreignRequests(requests), []);
    assert.deepEqual(errors, []);
    await context.close();
  });
}
