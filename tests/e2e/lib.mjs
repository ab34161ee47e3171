// Shared helpers for the end-to-end tests: Debian's Chromium driven by playwright-core, with every
// request the page makes recorded (the page must make none beyond its own file).
//
// SWITCHBOARD_PAGE=/path/to/switchboard.html runs the tests against another build (an older one,
// to see a test fail before a fix).
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const CORPUS = path.resolve(ROOT, '../shared/corpus');
export const SHOTS = path.join(ROOT, 'target/e2e');
export const SINGLE = process.env.SWITCHBOARD_PAGE ? path.resolve(process.env.SWITCHBOARD_PAGE) : path.join(ROOT, 'dist/switchboard.html');
/** The window sizes every workspace test runs at: a desktop and a laptop. */
export const SIZES = [{ width: 1440, height: 900 }, { width: 1024, height: 700 }];
fs.mkdirSync(SHOTS, { recursive: true });

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ...(process.env.SB_CHROMIUM_ARGS ? process.env.SB_CHROMIUM_ARGS.split(' ') : [])],
    // Scrollbars drawn as on a desktop, so tests can use them (Playwright hides them by default).
    ignoreDefaultArgs: ['--hide-scrollbars'],
  });
}

/** Opens the single-file page from file:// and records requests, console errors and dialogs.
 * `init` is a script run in the page before its own (Playwright's addInitScript). */
export async function openPage(browser, { url = pathToFileURL(SINGLE).href, colorScheme = 'light', init, viewport = { width: 1440, height: 960 } } = {}) {
  const context = await browser.newContext({ viewport, colorScheme, acceptDownloads: true });
  // A CI machine shared with other jobs can be several times slower than a laptop: a wait fails
  // after a minute, not Playwright's 30 s (a hang still fails; explicit timeouts keep theirs).
  context.setDefaultTimeout(60000);
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  const requests = [];
  const errors = [];
  const dialogs = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error' || /passive event listener/.test(m.text())) errors.push(m.text()); });
  page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
  await page.goto(url);
  await page.waitForSelector('#drop-zone', { timeout: 30000 });
  return { context, page, requests, errors, dialogs };
}

/** An init script (`openPage`'s `init`) that makes the page see `n` cores: it starts n - 1 helper
 * workers (at most 3) to decode beside the engine; 1 makes the engine decode alone. */
export function cores(n) {
  return `Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => ${Number(n)} });`;
}

/** The page's workers by role: helpers are started from the engine's script with
 * `#switchboard-helper` at the end of its address. A worker ended a moment ago may still be listed. */
export function workersByRole(page) {
  const all = page.workers();
  const helper = (w) => w.url().endsWith('#switchboard-helper');
  return { engine: all.filter((w) => !helper(w)), helpers: all.filter(helper) };
}

/** Waits for the page to finish parsing what it was given. */
export async function waitReady(page, timeout = 60000) {
  await page.waitForFunction(() => document.documentElement.dataset.state === 'ready', null, { timeout });
}

/** Opens files with #file-input (as "Open files…" does) and waits for the load and the analysis. */
export async function loadFiles(page, files, timeout = 120000) {
  await page.setInputFiles('#file-input', files);
  await page.waitForFunction(() => document.documentElement.dataset.state !== 'idle', null, { timeout: 10000 }).catch(() => {});
  await waitReady(page, timeout);
  // The rows arrive just after: wait for them as a person would.
  await page.waitForSelector('.trow[data-row]', { timeout: 10000 }).catch(() => {});
}

/** Drops files on #drop-zone with a synthetic drop event carrying a DataTransfer. */
export async function dropFiles(page, files) {
  const payload = files.map((f) => ({ name: path.basename(f), data: fs.readFileSync(f).toString('base64') }));
  await page.evaluate((payload) => {
    const dt = new DataTransfer();
    for (const f of payload) {
      const bin = atob(f.data);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      dt.items.add(new File([bytes], f.name));
    }
    const zone = document.getElementById('drop-zone');
    zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, payload);
}

/** Drops files or folders from disk (absolute paths) on #drop-zone the way a file manager does: Chromium's
 * own drag path through CDP Input.dispatchDragEvent, so a folder arrives as a real directory entry
 * (webkitGetAsEntry().isDirectory), which a DataTransfer built in page JS cannot carry. */
export async function dropPaths(page, paths) {
  const box = await page.locator('#drop-zone').boundingBox();
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  const cdp = await page.context().newCDPSession(page);
  const data = { items: [], files: paths.map((p) => path.resolve(p)), dragOperationsMask: 1 };
  for (const type of ['dragEnter', 'dragOver', 'drop']) await cdp.send('Input.dispatchDragEvent', { type, x, y, data });
  await cdp.detach();
}

/** Requests other than the page's own file (and the blob:/data: URLs it makes itself). */
export function foreignRequests(requests, own = pathToFileURL(SINGLE).href) {
  return requests.filter((u) => u !== own && !u.startsWith('blob:') && !u.startsWith('data:'));
}

/** Every file of a corpus folder (or of the whole corpus), sorted. */
export function corpusFiles(dir = '') {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p); else if (e.name !== 'MANIFEST.md') out.push(p);
    }
  };
  walk(path.join(CORPUS, dir));
  return out.sort();
}

/** A temporary folder (removed by `cleanTemp`). */
const temps = [];
export function tempDir() {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-e2e-'));
  temps.push(d);
  return d;
}
export function cleanTemp() {
  for (const d of temps.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/** The project's benchmark bundle (`switchboard gen-bench`): the demo incident repeated with shifted
 * IDs and times over a few days, in every seed format. 27 MiB holds about 112 000 records (the demo incident now carries a desktop HAR), 1 000 flows
 * and 575 findings (181 of one code). Made once and kept under target/e2e-data/. */
export function benchBundle(size = '27MiB') {
  const dir = path.join(ROOT, 'target/e2e-data');
  fs.mkdirSync(dir, { recursive: true });
  const out = path.join(dir, `bench-${size}.zip`);
  if (!fs.existsSync(out)) {
    execFileSync('cargo', ['run', '--quiet', '--bin', 'switchboard', '--', 'gen-bench', '--size', size, '--out', out], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return out;
}

/** One ctisvr log of `n` lines (about 120 bytes each), in a temporary folder: by default 500 agents
 * one millisecond apart, all NOT_READY; `agents`, `states` (cycled through, one per line) and
 * `stepMs` make other shapes, `date` ("January 30, 2024") starts it with dumplog's date line. */
export function bigCtisvr(n, name = 'ctisvr.txt', { agents = 500, states = ['NOT_READY'], stepMs = 1, date = '' } = {}) {
  const file = path.join(tempDir(), name);
  const two = (v) => String(v).padStart(2, '0');
  const line = (i) => {
    const ms = i * stepMs;
    return `${two(8 + Math.floor(ms / 3600000) % 12)}:${two(Math.floor(ms / 60000) % 60)}:${two(Math.floor(ms / 1000) % 60)}:${String(ms % 1000).padStart(3, '0')} cg1A-ctisvr Trace: AGENT_EVENT: ID=${1000 + i % agents} Periph=5000 Ext=${2000 + i % agents} St=${states[i % states.length]} MRDID=5011 NumTasks=0 MaxTaskLimit=3\n`;
  };
  const fd = fs.openSync(file, 'w');
  let chunk = date ? `Events from ${date}\n` : '';
  for (let i = 0; i < n; i++) { chunk += line(i); if (chunk.length > 1 << 20) { fs.writeSync(fd, chunk); chunk = ''; } }
  fs.writeSync(fd, chunk); fs.closeSync(fd);
  return file;
}

/** A screenshot named for its window size, under target/e2e/. */
export async function shot(page, name) {
  const vp = page.viewportSize();
  const file = path.join(SHOTS, `${name}-${vp.width}x${vp.height}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** The count shown in a tab's label ("Timeline (112043)"). */
export async function tabCount(page, id) {
  return Number((await page.locator(`#${id}`).textContent()).match(/\d+/)[0]);
}

/** The timeline rows whose box lies inside the visible part of the table. */
export async function rowsInView(page) {
  return page.evaluate(() => {
    const sc = document.getElementById('timeline-scroll').getBoundingClientRect();
    return [...document.querySelectorAll('#timeline-scroll .trow[data-row]')]
      .map((r) => ({ row: Number(r.dataset.row), pos: Number(r.dataset.pos), text: r.textContent, box: r.getBoundingClientRect(), selected: r.classList.contains('selected') }))
      .filter((r) => r.box.top >= sc.top - 1 && r.box.bottom <= sc.bottom + 1 && r.box.height > 0)
      .map(({ row, pos, text, selected }) => ({ row, pos, text, selected }));
  });
}

/** The selected timeline row, if it is drawn inside the visible part of the table. */
export async function selectedInView(page) {
  return (await rowsInView(page)).find((r) => r.selected) || null;
}

/** The number of rows the timeline shows ("112043 rows · …"). */
export async function rowCount(page) {
  return Number((await page.locator('#match-count').textContent()).match(/\d+/)[0]);
}

/** Opens the file list panel (it drops down from the compact bar; the page before issue 14 always
 * showed its file table). */
export async function openFileList(page) {
  if (!(await page.locator('#files-toggle').count())) return;
  if (!(await page.locator('#files-panel').isVisible())) await page.click('#files-toggle');
  await page.waitForSelector('#files-panel', { state: 'visible' });
}

/** Waits for a download started by `click` and returns its text. */
export async function downloadText(page, click) {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const file = path.join(tempDir(), download.suggestedFilename());
  await download.saveAs(file);
  return { name: download.suggestedFilename(), file, text: fs.readFileSync(file, 'utf8') };
}

/** Opens the first flow the flow list shows for a search. (The page before issue 14 had no flow
 * search: there the first flow whose entry holds the text is opened, so the tests can run on it.) */
export async function openFlow(page, search, old = { text: search.replaceAll('"', ''), nth: 0 }) {
  await page.click('#tab-flows');
  if (!(await page.locator('#flow-filter').count()) && !(await page.locator('#back-to-flows').count())) {
    await page.locator('.flow-item', { hasText: old.text }).nth(old.nth).click();
    await page.waitForSelector('#flow-svg g.step, #flow-svg g.run');
    return;
  }
  if (await page.locator('#back-to-flows').isVisible()) await page.click('#back-to-flows');
  await page.fill('#flow-filter', search);
  // The count reads "N of M flows" once the list is filtered.
  await page.waitForFunction(() => / of \d+ flows/.test(document.querySelector('#flow-count')?.textContent || '') && document.querySelectorAll('.flow-item').length > 0);
  await page.locator('.flow-item').first().click();
  await page.waitForSelector('#flow-svg g.step, #flow-svg g.run');
}

/** Drags across `selector` from `from` to `to` (fractions of its width) with real mouse events;
 * `during` runs before the button is released (to see the box being drawn). */
export async function dragAcross(page, selector, from, to, during = async () => {}) {
  const b = await page.locator(selector).boundingBox();
  await page.mouse.move(b.x + b.width * from, b.y + b.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width * to, b.y + b.height / 2, { steps: 4 });
  await during();
  await page.mouse.up();
}
