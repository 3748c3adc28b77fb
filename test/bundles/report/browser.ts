import { existsSync } from 'node:fs';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

// Debian's chromium, driven headless by puppeteer-core (which never
// downloads a browser), with the network out of reach: every request that
// is not the page's own file is aborted and recorded, host names resolve to
// nothing and any proxy lookup goes to a closed loopback port, so nothing
// Chromium itself would fetch leaves this machine either.

// The page's global the wait below reads (the project's lib has no DOM).
declare const document: { documentElement: { hasAttribute(name: string): boolean } };

export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) =>
  existsSync(p),
);

export function launch(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: CHROMIUM!,
    headless: true,
    pipe: true,
    args: [
      // Only because the tests run as root, where Chromium's sandbox cannot start.
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      '--host-resolver-rules=MAP * ~NOTFOUND',
      '--proxy-server=http://127.0.0.1:9',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-domain-reliability',
      '--disable-sync',
      '--no-first-run',
      '--no-default-browser-check',
    ],
  });
}

export interface OpenedPage {
  page: Page;
  // Console errors, uncaught exceptions and dialogs, as they came.
  errors: string[];
  // Every URL the page asked for, the file itself included.
  requests: string[];
  aborted: string[];
  ms: number;
}

export async function openReport(browser: Browser, file: string): Promise<OpenedPage> {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 800 });
  const errors: string[] = [];
  const requests: string[] = [];
  const aborted: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page: ${(e as Error).message}`));
  // A script that got in would most likely say so: alert() and friends.
  page.on('dialog', (d) => {
    errors.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  await page.setRequestInterception(true);
  page.on('request', (r) => {
    requests.push(r.url());
    if (r.url().startsWith('file:')) void r.continue();
    else {
      aborted.push(r.url());
      void r.abort();
    }
  });
  const started = performance.now();
  await page.goto(`file://${file}`, { waitUntil: 'load' });
  await page.waitForFunction(() => document.documentElement.hasAttribute('data-charts-ready'));
  return { page, errors, requests, aborted, ms: performance.now() - started };
}
