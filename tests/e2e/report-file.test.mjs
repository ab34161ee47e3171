// The case report (`switchboard report`) opened from file:// in headless Chromium: it renders its
// inline SVG flows and state timelines, makes no request at all (not even for its own file's
// assets: it has none), runs no script, and prints (a PDF is made from it). Screenshots and the PDF
// land in target/e2e/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import fs from 'node:fs';
import { launch, ROOT, CORPUS, SHOTS } from './lib.mjs';

/** Builds the report with the CLI (cargo keeps the binary current) and returns its path. */
function makeReport(name, args) {
  const out = path.join(SHOTS, `${name}.html`);
  execFileSync('cargo', ['run', '--quiet', '--bin', 'switchboard', '--', 'report', '--out', out, ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  return out;
}

test('the case report opens from file:// with no request and draws its flows', async () => {
  const demo = path.join(SHOTS, 'report-demo-src');
  fs.rmSync(demo, { recursive: true, force: true });
  execFileSync('cargo', ['run', '--quiet', '--bin', 'switchboard', '--', 'demo', '--out', demo], { cwd: ROOT, stdio: 'inherit' });
  const reports = [
    makeReport('report-demo', [demo]),
    makeReport('report-corpus-sanitized', ['--sanitize', '--personal', path.join(CORPUS, '002-finesse-bosh'), path.join(CORPUS, '003-cce-task-routing')]),
  ];
  const browser = await launch();
  try {
    for (const file of reports) {
      const url = pathToFileURL(file).href;
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const requests = [];
      const errors = [];
      page.on('request', (r) => requests.push(r.url()));
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      await page.goto(url);
      await page.waitForLoadState('load');
      assert.deepEqual(requests.filter((u) => u !== url), [], `${file}: no request beyond the file itself`);
      assert.deepEqual(errors, [], `${file}: no errors`);
      assert.equal(await page.locator('script').count(), 0, 'no script');
      const flows = await page.locator('.flow .diagram svg').count();
      assert.ok(flows >= 2, `${file}: flows drawn as inline SVG (${flows})`);
      // Every SVG rendered with a size, and every label is inside its drawing.
      const boxes = await page.$$eval('.diagram svg', (svgs) => svgs.map((s) => {
        const r = s.getBoundingClientRect();
        let outside = 0;
        for (const t of s.querySelectorAll('text')) {
          const b = t.getBBox();
          if (b.x < -1 || b.y < -1 || b.x + b.width > s.viewBox.baseVal.width + 1 || b.y + b.height > s.viewBox.baseVal.height + 1) outside++;
        }
        return { w: r.width, h: r.height, outside };
      }));
      for (const b of boxes) {
        assert.ok(b.w > 100 && b.h > 40, `rendered: ${JSON.stringify(b)}`);
        assert.equal(b.outside, 0, 'no label is cut by the edge of its drawing');
      }
      const name = path.basename(file, '.html');
      await page.locator('.flow').first().screenshot({ path: path.join(SHOTS, `${name}-flow.png`) });
      await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
      const pdf = await page.pdf({ path: path.join(SHOTS, `${name}.pdf`), format: 'A4' });
      assert.ok(pdf.length > 10000, 'it prints');
      assert.deepEqual(requests.filter((u) => u !== url), [], 'printing made no request either');
      await context.close();
    }
  } finally {
    await browser.close();
  }
});
