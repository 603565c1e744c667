// Starts Debian's Chromium through playwright-core with a fresh profile and no network features;
// playwright never downloads a browser here. Shared by the report test and the scale benchmark.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const CHROMIUM = process.env.REVAL_CHROMIUM || '/usr/bin/chromium';

export async function launchBrowser() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'reval-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--disable-quic'],
    viewport: { width: 1280, height: 900 },
  });
  const close = async () => {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return { context, close };
}

// A new page on which every request that leaves the page's own file is recorded and aborted, and console
// errors, uncaught exceptions and dialogs are recorded.
export async function watchPage(context) {
  const problems = { console: [], network: [], dialogs: [] };
  const page = await context.newPage();
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file://') || url.startsWith('data:')) return route.continue();
    problems.network.push(url);
    return route.abort();
  });
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith('file://') && !url.startsWith('data:') && !problems.network.includes(url)) problems.network.push(url);
  });
  page.on('console', (message) => { if (message.type() === 'error') problems.console.push(message.text()); });
  page.on('pageerror', (error) => problems.console.push(String(error)));
  page.on('dialog', (dialog) => { problems.dialogs.push(dialog.message()); dialog.dismiss().catch(() => {}); });
  return { page, problems };
}
