/**
 * Browser tests' kit: Debian's chromium driven by playwright-core, a started
 * `vigil` serving the built UI, and a page that records console errors and
 * failed requests so a test can assert there were none.
 */
import assert from 'node:assert/strict';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

export interface WatchedPage {
  page: Page;
  /** Console errors and uncaught exceptions seen so far. */
  errors: string[];
}

export async function openPage(browser: Browser, url: string, viewport = { width: 1280, height: 800 }): Promise<WatchedPage> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(url);
  return { page, errors };
}

const PHONE = { width: 390, height: 800 };

/**
 * Opens each page (a `#/…` hash) at 390 px and fails when one is wider than
 * the screen (a phone would scroll sideways) or logs a console error.
 * `ready` waits for data on the first page, so the later ones are full.
 */
export async function assertFitsPhone(browser: Browser, baseUrl: string, hashes: string[], ready?: (page: Page) => Promise<unknown>): Promise<void> {
  const narrow = await openPage(browser, `${baseUrl}/${hashes[0]}`, PHONE);
  if (ready) await ready(narrow.page);
  for (const hash of hashes) {
    await narrow.page.goto(`${baseUrl}/${hash}`);
    await narrow.page.getByRole('heading', { level: 1 }).waitFor();
    await narrow.page.waitForTimeout(100);
    assert.ok(await narrow.page.evaluate((width) => document.documentElement.scrollWidth <= width, PHONE.width), `${hash} overflows at ${PHONE.width} px`);
  }
  assert.deepEqual(narrow.errors, []);
  await narrow.page.close();
}
