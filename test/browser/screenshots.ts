/**
 * Screenshots of the waterfall for the docs: the example research agent's run in VS Code's Dark
 * Modern and Light Modern colours, with the slowest LLM call selected and its details open.
 * `npx tsx test/browser/screenshots.ts [outDir]` (default docs/images).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { exampleRun } from './example-run';
import { buildWebview, launchChromium, nextFrame, openPage, postData, postMessage, ROOT, startServer } from './harness';
import type { ThemeName } from './themes';

async function main(): Promise<void> {
  const outDir = path.resolve(process.argv[2] ?? path.join(ROOT, 'docs', 'images'));
  fs.mkdirSync(outDir, { recursive: true });
  await buildWebview();
  const run = exampleRun();
  // The slowest LLM span: the one a user would look at first.
  let slowest = -1;
  run.profile.spans.forEach((s, i) => {
    if (s.kind !== 'llm') return;
    const d = run.columns.end[i] - run.columns.start[i];
    if (slowest < 0 || d > run.columns.end[slowest] - run.columns.start[slowest]) slowest = i;
  });
  const server = await startServer();
  const browser = await launchChromium();
  try {
    for (const theme of ['dark', 'light'] as ThemeName[]) {
      const page = await openPage(browser, server, {
        theme,
        width: 1440,
        height: 540,
        onMessage: (msg, p) => {
          if (msg.type === 'details') {
            const details = run.details(msg.span);
            if (details) void postMessage(p, { type: 'details', details });
          }
        },
      });
      await postData(page, { key: '/work/example.agentprof.jsonl', name: run.profile.run.name, fileName: 'example.agentprof.jsonl', live: false }, run.columns);
      const id = run.profile.spans[slowest]?.id;
      if (id !== undefined) await postMessage(page, { type: 'focus', spanIds: [id], filter: false });
      // Back to the whole run, keeping the selection.
      await page.locator('#fit').click();
      await page.waitForSelector('.details .facts');
      await nextFrame(page);
      await page.waitForTimeout(200);
      const file = path.join(outDir, `waterfall-${theme}.png`);
      await page.screenshot({ path: file });
      console.log(`wrote ${path.relative(ROOT, file)}`);
      await page.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
