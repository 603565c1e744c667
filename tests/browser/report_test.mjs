// Opens reval HTML reports of fixture runs in headless Chromium and checks what a reader sees:
// no console errors, no network requests, headline numbers equal to summary.json, sorting and the
// "runs disagree" filter, hostile model output shown as text, and the SWE and intersection reports.
// Usage: node report_test.mjs OUT_DIR RUNS_DIR   (OUT_DIR holds main.html, swe.html, subset.html)
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launchBrowser, watchPage } from './launch.mjs';

const [outDir, runsDir] = process.argv.slice(2);
const url = (name) => 'file://' + path.resolve(outDir, name);
const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));
let failures = 0;

async function check(name, body) {
  try {
    await body();
    console.log('ok   ' + name);
  } catch (error) {
    failures++;
    console.log('FAIL ' + name + '\n     ' + String(error.stack || error).split('\n').slice(0, 6).join('\n     '));
  }
}

async function open(context, name) {
  const { page, problems } = await watchPage(context);
  await page.goto(url(name), { waitUntil: 'load' });
  await page.waitForSelector('html[data-ready="1"]', { timeout: 10000 });
  return { page, problems };
}

function assertClean(problems) {
  assert.deepEqual(problems.console, [], 'console errors');
  assert.deepEqual(problems.network, [], 'network requests');
  assert.deepEqual(problems.dialogs, [], 'dialogs (a script from model output ran)');
}

const matrixColumn = (page, column) => page.$$eval('#matrix tbody tr:not([hidden])',
  (rows, c) => rows.map((row) => row.cells[c].dataset.v ?? row.cells[c].textContent.trim()), column);

const { context, close } = await launchBrowser();
try {
  const { page, problems } = await open(context, 'main.html');

  await check('headline table values equal summary.json', async () => {
    const rows = await page.$$eval('#headline-table tbody tr', (trs) => trs.map((tr) => ({
      runId: tr.dataset.runId,
      cells: Array.from(tr.querySelectorAll('td[data-metric]')).map((td) => ({
        metric: td.dataset.metric, value: td.dataset.value, text: td.firstChild.textContent })),
      samples: tr.cells[tr.querySelectorAll('td[data-metric]').length + 1].textContent,
    })));
    assert.equal(rows.length, 3);
    for (const row of rows) {
      const summary = readJson(path.join(runsDir, row.runId, 'summary.json'));
      assert.deepEqual(row.cells.map((c) => c.metric).sort(), Object.keys(summary.metrics).sort());
      for (const cell of row.cells) {
        const expected = summary.metrics[cell.metric].value;
        assert.equal(Number(cell.value), expected, `${row.runId} ${cell.metric}`);
        assert.equal(cell.text, (100 * expected).toFixed(1) + '%', `${row.runId} ${cell.metric} shown`);
      }
      assert.equal(row.samples.replace(/,/g, ''), String(summary.n_samples));
    }
  });

  await check('the chart has a bar with whiskers per run and metric, and published markers', async () => {
    assert.equal(await page.locator('#chart svg g.bar rect').count(), 9);
    assert.equal(await page.locator('#chart svg path.whisker').count(), 9);
    assert.ok(await page.locator('#chart svg path.reference').count() >= 3);
  });

  await check('sorting the matrix by a run column orders its cells', async () => {
    await page.click('#matrix thead th:nth-child(3)');
    let values = (await matrixColumn(page, 2)).map(Number);
    assert.deepEqual(values, [...values].sort((a, b) => b - a), 'descending after one click');
    await page.click('#matrix thead th:nth-child(3)');
    values = (await matrixColumn(page, 2)).map(Number);
    assert.deepEqual(values, [...values].sort((a, b) => a - b), 'ascending after two clicks');
    await page.click('#matrix thead th:nth-child(1)');
    const ids = (await matrixColumn(page, 0)).map(Number);
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b), 'problem ids in natural order');
  });

  await check('the "runs disagree" filter shows exactly the problems whose majority verdicts differ', async () => {
    const report = readJson(path.join(outDir, 'main.json'));
    const expected = report.scope.problem_ids.filter((id, p) =>
      new Set(report.runs.map((run) => run.per_problem[p].cons_correct)).size > 1);
    assert.ok(expected.length > 0 && expected.length < 12, 'the fixtures have some disagreement');
    await page.check('#disagree-only');
    const shown = await matrixColumn(page, 0);
    assert.deepEqual(shown.sort(), expected.sort());
    assert.equal(await page.textContent('#matrix-count'), `showing ${expected.length} of 12 problems`);
    await page.uncheck('#disagree-only');
    assert.equal((await matrixColumn(page, 0)).length, 12);
  });

  await check('hostile model output renders as text and never runs', async () => {
    await page.click('#matrix button.open[data-p="2"]');
    await page.waitForSelector('#viewer .sample');
    const viewerText = await page.textContent('#viewer');
    assert.ok(viewerText.includes('</script><script>alert(1)</script><img src=x onerror="alert(2)">'), 'shown as text');
    assert.equal(await page.locator('#viewer script, #viewer img').count(), 0, 'no elements from model output');
    assert.ok(viewerText.includes('inputs like <b>bold</b> must show as text'));
    assert.equal(await page.locator('#viewer b:text("bold")').count(), 0);
    // Open the reasoning of the hostile sample too.
    const details = page.locator('#viewer details').nth(1);
    await details.locator('summary').click();
    await details.locator('.response').waitFor();
    assert.ok((await details.textContent()).includes('thinking </script><script>alert(1)'));
    assert.equal(await page.locator('#viewer script, #viewer img').count(), 0);
    await page.waitForTimeout(200);
    assert.deepEqual(problems.dialogs, []);
  });

  await check('the sample viewer shows every sample of every run with verdicts', async () => {
    assert.equal(await page.locator('#viewer .run').count(), 3);
    assert.equal(await page.locator('#viewer .sample').count(), 24);
    assert.ok((await page.textContent('#viewer')).includes('Gold answer'));
  });

  await check('no console errors and no network requests on the main report', async () => {
    fs.mkdirSync(outDir, { recursive: true });
    await page.screenshot({ path: path.join(outDir, 'report-viewer.png'), fullPage: false });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(outDir, 'report.png'), fullPage: true });
    assertClean(problems);
  });

  await check('the SWE report lists every instance with its outcome', async () => {
    const swe = await open(context, 'swe.html');
    assert.equal(await swe.page.locator('#swe-table tbody tr').count(), 5);
    const text = await swe.page.textContent('#swe-table');
    assert.match(text, /resolved/);
    assert.match(text, /F2P \d\/2 · P2P 3\/3/);
    assert.equal(await swe.page.locator('#swe-table script').count(), 0);
    assertClean(swe.problems);
    await swe.page.close();
  });

  await check('runs with different problem sets say so and compare the intersection', async () => {
    const subset = await open(context, 'subset.html');
    assert.equal(await subset.page.getAttribute('#scope', 'class'), 'scope differ');
    assert.match(await subset.page.textContent('#scope'), /only on the 10 problems all runs share/);
    assert.equal(await subset.page.locator('#matrix tbody tr').count(), 10);
    assertClean(subset.problems);
    await subset.page.close();
  });

  await check('dark mode applies the dark palette', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(background, 'rgb(15, 17, 21)');
    await page.screenshot({ path: path.join(outDir, 'report-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });
  });
} finally {
  await close();
}
console.log(failures === 0 ? 'all browser checks passed' : `${failures} browser check(s) failed`);
process.exit(failures === 0 ? 0 : 1);
