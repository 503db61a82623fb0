/**
 * Browser tests' setup: Parley in demo mode on a fresh data directory, the web app built if its sources changed,
 * and Debian's Chromium through playwright-core. Screenshots go to test-artifacts/phone-simulator/.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { loadConfig } from '../config.js';
import { type Parley, startParley } from '../server.js';

const root = new URL('../../../../', import.meta.url).pathname;
export const CHROMIUM = '/usr/bin/chromium';
/** Where browser tests keep their screenshots for people to look at. */
export const artifacts = join(root, 'test-artifacts', 'phone-simulator');

export interface DemoInChromium {
  parley: Parley;
  browser: Browser;
  close(): Promise<void>;
}

export async function startDemoInChromium(): Promise<DemoInChromium> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is needed for browser tests: apt-get install -y chromium (looked for ${CHROMIUM})`);
  }
  const build = spawnSync(process.execPath, [join(root, 'scripts/ensure-web-build.mjs')], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) {
    throw new Error(`building the web app failed (exit ${build.status})`);
  }
  mkdirSync(artifacts, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'parley-demo-'));
  const parley = await startParley(loadConfig({ PARLEY_DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', PARLEY_DEMO: 'true' }));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
  return {
    parley,
    browser,
    async close() {
      await browser.close();
      await parley.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
