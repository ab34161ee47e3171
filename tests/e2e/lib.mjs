// Shared helpers for the end-to-end tests: Debian's Chromium driven by playwright-core, with every
// request the page makes recorded (the page must make none beyond its own file).
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import fs from 'node:fs';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const CORPUS = path.resolve(ROOT, '../shared/corpus');
export const SHOTS = path.join(ROOT, 'target/e2e');
export const SINGLE = path.join(ROOT, 'dist/switchboard.html');
fs.mkdirSync(SHOTS, { recursive: true });

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Opens the single-file page from file:// and records requests, console errors and dialogs.
 * `init` is a script run in the page before its own (Playwright's addInitScript). */
export async function openPage(browser, { url = pathToFileURL(SINGLE).href, colorScheme = 'light', init } = {}) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 960 }, colorScheme, acceptDownloads: true });
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  const requests = [];
  const errors = [];
  const dialogs = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
  await page.goto(url);
  await page.waitForSelector('#drop-zone', { timeout: 30000 });
  return { context, page, requests, errors, dialogs };
}

/** Waits for the page to finish parsing what it was given. */
export async function waitReady(page, timeout = 60000) {
  await page.waitForFunction(() => document.documentElement.dataset.state === 'ready', null, { timeout });
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
