// Browser half of the benchmark (not a test): loads a generated bundle into the single file through
// #file-input and reports ingest+parse throughput through the worker and the wasm memory peak.
//   node tests/e2e/bench.mjs bench-data/bench-100m.zip [runs]
import fs from 'node:fs';
import { launch, openPage, waitReady } from './lib.mjs';

const file = process.argv[2];
const runs = Number(process.argv[3] || 3);
if (!file || !fs.existsSync(file)) {
  console.error('usage: node tests/e2e/bench.mjs FILE [runs]');
  process.exit(2);
}
const browser = await launch();
const results = [];
for (let i = 0; i < runs; i++) {
  const { page, context } = await openPage(browser);
  const t0 = Date.now();
  await page.setInputFiles('#file-input', file);
  await waitReady(page, 30 * 60 * 1000);
  const wall = (Date.now() - t0) / 1000;
  const note = page.locator('#load-note');
  const expanded = Number(await note.getAttribute('data-expanded'));
  const seconds = Number(await note.getAttribute('data-seconds'));
  const mem = Number(await note.getAttribute('data-wasm-memory'));
  const iseconds = Number(await note.getAttribute('data-index-seconds'));
  const imem = Number(await note.getAttribute('data-index-wasm-memory'));
  const pseconds = Number(await note.getAttribute('data-parse-seconds'));
  const oseconds = Number(await note.getAttribute('data-order-seconds'));
  console.log(`   of which: parse ${pseconds.toFixed(2)} s, clocks+order ${oseconds.toFixed(2)} s, read/unzip/decode/yield the rest`);
  const records = Number((await page.locator('#tab-timeline').textContent()).match(/\d+/)[0]);
  results.push({ wall, seconds, expanded, mem, records, iseconds, imem });
  console.log(`run ${i + 1}: ${(expanded / 1e6).toFixed(1)} MB of text, ${records} records; ` +
    `timeline ready (read, unzip, parse, index) ${iseconds.toFixed(2)} s = ${(expanded / 1e6 / iseconds).toFixed(1)} MB/s, wasm memory then ${(imem / 2 ** 20).toFixed(0)} MiB = ${(imem / expanded).toFixed(2)}x; ` +
    `with flows and findings ${seconds.toFixed(2)} s = ${(expanded / 1e6 / seconds).toFixed(1)} MB/s (wall ${wall.toFixed(2)} s), wasm memory ${(mem / 2 ** 20).toFixed(0)} MiB = ${(mem / expanded).toFixed(2)}x`);
  await context.close();
}
await browser.close();
const med = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const s = med(results.map((r) => r.seconds));
const e = results[0].expanded;
const si = med(results.map((r) => r.iseconds));
console.log(JSON.stringify({
  browser_index_mb_s: +(e / 1e6 / si).toFixed(1), index_seconds: si, index_wasm_memory_multiple: +(med(results.map((r) => r.imem)) / e).toFixed(2),
  browser_mb_s: +(e / 1e6 / s).toFixed(1), seconds: s, expanded: e, wasm_memory_multiple: +(med(results.map((r) => r.mem)) / e).toFixed(2),
}));
