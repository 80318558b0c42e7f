/**
 * `npm run bench:waterfall`: the waterfall webview on a generated run of 1 000 000 spans in
 * headless Chromium: first paint and the draw time of zoom and pan frames. Writes
 * bench/results-waterfall.json. `AGENTPROF_BENCH_SPANS` changes the run size.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildWebview, launchChromium, ROOT, startServer } from '../test/browser/harness';
import { measureWaterfall } from '../test/browser/measure';

async function main(): Promise<void> {
  const spans = Number(process.env.AGENTPROF_BENCH_SPANS ?? 1_000_000);
  await buildWebview();
  const server = await startServer();
  const browser = await launchChromium();
  try {
    const figures = await measureWaterfall(browser, server, spans);
    const result = { benchmark: 'waterfall-webview', date: new Date().toISOString(), targets: { firstPaintMs: 1000, frameMs: 16 }, ...figures };
    const out = path.join(ROOT, 'bench', 'results-waterfall.json');
    fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(result, null, 2));
    console.log(`wrote ${path.relative(ROOT, out)}`);
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
