// Debian chromium driven by playwright-core. Playwright's own browser download cannot run here
// (no internet), so the system chromium is launched by path.
import { Browser, chromium } from 'playwright-core';

/**
 * Flags that make chromium work on a closed network as root: without the background-networking
 * flags it keeps trying (and failing) to reach Google's hosts; `--no-sandbox` is required as root.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Options of {@link launchChromium}. */
export interface BrowserOptions {
  /** Browser binary (default `/usr/bin/chromium`). */
  executablePath?: string;
  /** Headless unless `AGENTPROF_E2E_HEADED=1` (needs a display, e.g. under Xvfb). */
  headless?: boolean;
}

/** Launches chromium; close it with `browser.close()`. */
export function launchChromium(options: BrowserOptions = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: options.executablePath ?? '/usr/bin/chromium',
    headless: options.headless ?? process.env.AGENTPROF_E2E_HEADED !== '1',
    args: [...CHROMIUM_ARGS],
  });
}
