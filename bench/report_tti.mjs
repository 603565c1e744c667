// Time to interactive of a reval HTML report in headless Chromium: opens it `repeats` times in a fresh
// page and records, from navigation start, when the DOM is interactive, when the report's script has run
// (DOMContentLoaded end) and the load event; then how long opening one problem's samples takes.
// Usage: node bench/report_tti.mjs REPORT.html [repeats]   -> prints one JSON object
import path from 'node:path';
import { launchBrowser, watchPage } from '../tests/browser/launch.mjs';

const [report, repeatsArg] = process.argv.slice(2);
const repeats = Number(repeatsArg || 5);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const { context, close } = await launchBrowser();
const runs = [];
try {
  for (let i = 0; i < repeats; i++) {
    const { page, problems } = await watchPage(context);
    const started = Date.now();
    await page.goto('file://' + path.resolve(report), { waitUntil: 'load' });
    await page.waitForSelector('html[data-ready="1"]');
    const wall_ms = Date.now() - started;
    const nav = await page.evaluate(() => {
      const n = performance.getEntriesByType('navigation')[0];
      return { dom_interactive_ms: n.domInteractive, script_done_ms: n.domContentLoadedEventEnd, load_ms: n.loadEventEnd };
    });
    const open_ms = await page.evaluate(async () => {
      const t0 = performance.now();
      document.querySelector('#matrix button.open[data-p="250"]').click();
      return performance.now() - t0;
    });
    const n_samples = await page.locator('#viewer .sample').count();
    if (problems.console.length || problems.network.length) throw new Error(JSON.stringify(problems));
    runs.push({ ...nav, wall_ms, open_problem_ms: open_ms, n_samples });
    await page.close();
  }
} finally {
  await close();
}
const summary = {};
for (const key of Object.keys(runs[0])) summary[key] = Math.round(median(runs.map((r) => r[key])) * 10) / 10;
console.log(JSON.stringify({ report: path.resolve(report), repeats, median: summary }));
