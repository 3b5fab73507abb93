import { existsSync, mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`); playwright never downloads a browser here. */
export const CHROMIUM_PATH = process.env.LENITY_CHROMIUM ?? '/usr/bin/chromium';

const SCREENS_FOLDER = resolve('docs/screens');

/** Builds the web application when dist/web is missing, as `npm start` would. */
export function ensureWebBuilt(): void {
  if (existsSync(resolve('dist/web/index.html'))) return;
  const result = spawnSync(process.execPath, ['bin/build-web-if-missing.js'], { stdio: 'inherit' });
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
