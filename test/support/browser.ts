import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`); playwright never downloads a browser here. */
export const CHROMIUM_PATH = process.env.LENITY_CHROMIUM ?? '/usr/bin/chromium';

const SCREENS_FOLDER = resolve('docs/screens');

function newestChangeMs(folder: string): number {
  return readdirSync(folder).reduce((newest, name) => {
    const path = join(folder, name);
    const stat = statSync(path);
    return Math.max(newest, stat.isDirectory() ? newestChangeMs(path) : stat.mtimeMs);
  }, 0);
}

/** Builds the web application when dist/web is missing or older than its sources, so the browser tests test today's code. */
export function ensureWebBuilt(): void {
  const index = resolve('dist/web/index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newestChangeMs(resolve('web'))) return;
  const result = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error('Building the web application failed');
}

/** One headless Chromium for a test file. */
export function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium is missing at ${CHROMIUM_PATH}: apt-get install -y chromium`);
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/** Saves what the page shows as `docs/screens/<name>.png` (linked from docs/web.md). */
export async function saveScreen(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENS_FOLDER, { recursive: true });
  await page.screenshot({ path: `${SCREENS_FOLDER}/${name}.png`, fullPage: true });
}
