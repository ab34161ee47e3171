// End-to-end: a real folder dropped on #drop-zone. A DataTransfer built in page JS cannot carry directory
// entries, so the drop comes from Chromium's own drag path (CDP Input.dispatchDragEvent with the folder's
// path on disk, see dropPaths): the page gets a real directory entry from webkitGetAsEntry() and walks it.
//
// Chromium quirk this covers: on a page opened from file:// (how switchboard.html is meant to be used),
// every Entries API read of a dropped item (FileSystemFileEntry.file(), readEntries()) fails with
// EncodingError, so the page falls back to getAsFile() / getAsFileSystemHandle() there. Over http:// the
// Entries API walk works, and the second test checks it alone, with the fallback taken away.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { launch, openPage, waitReady, dropPaths, foreignRequests, tempDir, cleanTemp, SHOTS, CORPUS, ROOT } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); cleanTemp(); });

// Path inside the dropped folder, corpus file, format (as named in the corpus MANIFEST.md).
const TREE = [
  ['ece/listener.log', '000-ece-availability/listener.log', 'ece-listener'],
  ['ece/ctisvr.txt', '000-ece-availability/ctisvr.txt', 'ctisvr'],
  ['ece/pg1a/opc.txt', '000-ece-availability/opc.txt', 'opc'],
  ['ece/config/entrypoint-initialize-1001.json', '000-ece-availability/entrypoint-initialize-1001.json', 'ece-entrypoint-json'],
  ['cce/pg2a/logfiles/ctisvr.txt', '003-cce-task-routing/ctisvr.txt', 'ctisvr'],
  ['cce/pg2a/logfiles/pim3.txt', '003-cce-task-routing/pim3.txt', 'mr-pim'],
  ['cce/rgra/logfiles/rtr.txt', '003-cce-task-routing/rtr.txt', 'icm-router'],
  ['ccp/runtime.log', '003-cce-task-routing/runtime.log', 'ccp-ccbu'],
];
// Dropped next to the folder, as a loose file.
const LOOSE = ['001-finesse-login/localhost_access_log.2013-04-23.txt', 'tomcat-access'];

/** A temporary `capture/` folder with nested sub-folders (and an empty one) holding copies of corpus files. */
function makeTree() {
  const root = path.join(tempDir(), 'capture');
  for (const [rel, src] of TREE) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.copyFileSync(path.join(CORPUS, src), path.join(root, rel));
  }
  fs.mkdirSync(path.join(root, 'cce/empty'), { recursive: true });
  return root;
}

// Records, before the page's own handler runs, what Chromium hands the drop: each item's entry.
const RECORD_ENTRIES = () => {
  window.addEventListener('drop', (e) => {
    window.__dropEntries = [...e.dataTransfer.items].map((i) => {
      const entry = i.webkitGetAsEntry();
      return { kind: i.kind, name: entry?.name, isDirectory: entry?.isDirectory };
    });
  }, { capture: true });
};

async function dropTreeAndCheck(page, shot) {
  const root = makeTree();
  const loose = path.join(CORPUS, LOOSE[0]);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.state), 'idle');
  await dropPaths(page, [root, loose]);
  const expected = TREE.map(([rel, , format]) => ({ path: `capture/${rel}`, format }))
    .concat([{ path: path.basename(loose), format: LOOSE[1] }])
    .sort((a, b) => a.path.localeCompare(b.path));
  await page.waitForFunction((n) => document.querySelectorAll('[data-file-row]').length === n, expected.length, { timeout: 30000 });
  await waitReady(page);
  assert.deepEqual(await page.evaluate(() => window.__dropEntries), [
    { kind: 'file', name: 'capture', isDirectory: true },
    { kind: 'file', name: path.basename(loose), isDirectory: false },
  ], 'Chromium gave the page a real directory entry');
  const rows = await page.locator('[data-file-row]').evaluateAll((els) => els.map((e) => ({
    path: e.querySelector('.path')?.textContent, format: e.dataset.format, status: e.dataset.status,
  })));
  assert.deepEqual(rows.map(({ path, format }) => ({ path, format })).sort((a, b) => a.path.localeCompare(b.path)), expected,
    'one row per file, with its path inside the dropped folder and its format');
  assert.ok(rows.every((r) => r.status === 'loaded'), JSON.stringify(rows));
  assert.equal(await page.evaluate(() => document.documentElement.dataset.state), 'ready');
  await page.screenshot({ path: path.join(SHOTS, shot) });
}

test('a folder dropped on the single file opened from file:// loads every file in its sub-folders', async () => {
  const { page, requests, errors, context } = await openPage(browser, { init: RECORD_ENTRIES });
  await dropTreeAndCheck(page, 'drop-folder-file-url.png');
  assert.deepEqual(foreignRequests(requests), [], 'no request beyond the page itself');
  assert.deepEqual(errors, []);
  await context.close();
});

test('over http:// a dropped folder is read by the webkitGetAsEntry walk alone', async () => {
  const port = 18000 + Math.floor(Math.random() * 1000);
  const server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', path.join(ROOT, 'dist')], { stdio: 'ignore' });
  try {
    const own = `http://127.0.0.1:${port}/switchboard.html`;
    for (let i = 0; i < 50; i++) {
      try { await fetch(own); break; } catch { await new Promise((r) => setTimeout(r, 100)); }
    }
    // Without getAsFileSystemHandle the page has no fallback: only the Entries API walk can find the files.
    const init = () => { delete DataTransferItem.prototype.getAsFileSystemHandle; };
    const { page, requests, errors, context } = await openPage(browser, { url: own, init: `(${init})(); (${RECORD_ENTRIES})();` });
    assert.equal(await page.evaluate(() => 'getAsFileSystemHandle' in DataTransferItem.prototype), false);
    await dropTreeAndCheck(page, 'drop-folder-http.png');
    assert.deepEqual(foreignRequests(requests, own), [], 'no request beyond the page itself');
    assert.deepEqual(errors, []);
    await context.close();
  } finally {
    server.kill();
  }
});
