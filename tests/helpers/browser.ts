// Real Chromium (Debian's) driven by playwright-core, against the real app listening on a real port.
import { AxeBuilder } from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { TestApp } from './app.js';

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

/** Where screenshots go (gitignored). */
const SHOTS = join(process.cwd(), 'test-results', 'screenshots');

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 900 };

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: FLAGS });
}

/** Starts the app on a free port of 127.0.0.1 and answers its base URL. */
export async function serve(t: TestApp): Promise<string> {
  return t.app.listen({ port: 0, host: '127.0.0.1' });
}

export interface OpenPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught errors, console errors and failed page requests (the API's refusals are part of the page's flow). */
  problems: string[];
}

type PageOptions = { viewport: { width: number; height: number }; locale: string; timezoneId: string; now: string; mobile?: boolean };

/**
 * One browser for a test file. After each test it closes the pages the test opened and the
 * test's app (`closeApp`), then checks those pages had no uncaught errors or failed requests.
 */
export function browserPerFile(closeApp: () => Promise<void>): { open(opts: PageOptions): Promise<OpenPage> } {
  let browser: Browser;
  let opened: OpenPage[] = [];
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser.close());
  afterEach(async () => {
    const pages = opened;
    opened = [];
    for (const o of pages) await o.context.close();
    await closeApp();
    expect(pages.flatMap((o) => o.problems)).toEqual([]);
  });
  return {
    async open(opts) {
      const o = await openPage(browser, opts);
      opened.push(o);
      return o;
    },
  };
}

/**
 * A fresh context (no stored token or language) with a phone- or desk-sized window, the given
 * browser language and zone, and the device clock at `now` (the same instant as the app's clock).
 */
export async function openPage(browser: Browser, opts: PageOptions): Promise<OpenPage> {
  const context = await browser.newContext({
    viewport: opts.viewport,
    locale: opts.locale,
    timezoneId: opts.timezoneId,
    isMobile: opts.mobile ?? false,
    hasTouch: opts.mobile ?? false,
    deviceScaleFactor: 1,
  });
  await context.clock.setFixedTime(new Date(opts.now));
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // Chromium logs every 4xx as "Failed to load resource"; failed requests are judged below.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(`console error: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400 && !new URL(response.url()).pathname.startsWith('/api/')) problems.push(`HTTP ${response.status()} ${response.url()}`);
  });
  page.on('requestfailed', (request) => {
    // A test that moves to another page aborts the old page's requests still in flight: not a fault.
    const reason = request.failure()?.errorText ?? '';
    if (reason !== 'net::ERR_ABORTED') problems.push(`request failed: ${request.url()} ${reason}`);
  });
  return { context, page, problems };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** axe-core's WCAG 2.x A and AA rules; answers the violations in a readable form. */
export async function axeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(' | ')}`);
}
