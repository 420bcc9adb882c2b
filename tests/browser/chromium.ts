// Debian's chromium, as every browser test starts it: nothing may try to download a browser or phone home.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

type Watched = {
  on(event: 'pageerror', listener: (e: Error) => void): unknown;
  on(event: 'console', listener: (m: { type(): string; text(): string }) => void): unknown;
};

/**
 * Collects a page's script errors and console errors into `problems`, which a test expects empty at the
 * end. Refused requests the test provokes (400, 409, offline) log "Failed to load resource": not faults.
 */
export function watchPageProblems(page: Watched, problems: string[], label = ''): void {
  const who = label ? ` (${label})` : '';
  page.on('pageerror', (e) => problems.push(`pageerror${who}: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource|net::ERR_INTERNET_DISCONNECTED/.test(m.text()))
      problems.push(`console${who}: ${m.text()}`);
  });
}
