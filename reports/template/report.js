// reval report: sorting and filtering of the per-problem matrix, and the sample viewer, which renders
// one problem's samples on demand from its <script type="application/json"> block. Model output is only
// ever assigned through textContent, never parsed as HTML.
(function () {
  'use strict';

  const matrix = document.getElementById('matrix');
  const viewer = document.getElementById('viewer');
  const PREVIEW_CHARS = 3000;  // longer texts show this much until "show all" is pressed

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  // Natural order for problem ids: "2" < "10", "aime-9" < "aime-10".
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

  function sortMatrix(th) {
    const body = matrix.tBodies[0];
    const column = th.cellIndex;
    const numeric = th.dataset.sort === 'num';
    const descending = !th.classList.contains('sorted-desc') && (numeric || th.classList.contains('sorted-asc'));
    for (const other of matrix.tHead.rows[0].cells) other.classList.remove('sorted-asc', 'sorted-desc');
    th.classList.add(descending ? 'sorted-desc' : 'sorted-asc');
    const rows = Array.from(body.rows);
    rows.sort(function (a, b) {
      const ca = a.cells[column], cb = b.cells[column];
      const order = numeric ? parseFloat(ca.dataset.v) - parseFloat(cb.dataset.v)
                            : collator.compare(ca.textContent, cb.textContent);
      return descending ? -order : order;
    });
    const fragment = document.createDocumentFragment();
    for (const row of rows) fragment.appendChild(row);
    body.appendChild(fragment);
  }

  function applyFilter() {
    const only = document.getElementById('disagree-only').checked;
    let shown = 0;
    const rows = matrix.tBodies[0].rows;
    for (const row of rows) {
      const visible = !only || row.dataset.disagree === '1';
      row.hidden = !visible;
      if (visible) shown++;
    }
    document.getElementById('matrix-count').textContent = 'showing ' + shown + ' of ' + rows.length + ' problems';
  }

  // A text that may be shortened twice: in the page (head + tail of the original, `omitted` bytes
  // dropped when the report was written) and on screen (PREVIEW_CHARS until "show all").
  function longText(parts, className) {
    const head = parts[0] || '', tail = parts[1] || '', omitted = parts[2] || 0;
    const box = el('div', className);
    const full = el('span');
    full.textContent = head;
    if (omitted > 0) {
      box.appendChild(full);
      box.appendChild(el('span', 'omitted', '\n[… ' + omitted.toLocaleString() + ' bytes not included in this report; see samples.jsonl …]\n'));
      box.appendChild(el('span', null, tail));
      return box;
    }
    const text = head + tail;
    if (text.length <= PREVIEW_CHARS) {
      box.textContent = text;
      return box;
    }
    full.textContent = text.slice(0, PREVIEW_CHARS);
    box.appendChild(full);
    const more = el('button', 'show-all', 'show all (' + text.length.toLocaleString() + ' characters)');
    more.type = 'button';
    more.addEventListener('click', function () {
      full.textContent = text;
      more.remove();
    });
    box.appendChild(el('span', 'omitted', ' … '));
    box.appendChild(more);
    return box;
  }

  function tokens(sample) {
    const parts = [];
    if (sample.ct !== undefined) parts.push(sample.ct.toLocaleString() + ' completion tokens');
    if (sample.rt !== undefined) parts.push(sample.rt.toLocaleString() + ' reasoning');
    if (sample.pt !== undefined) parts.push(sample.pt.toLocaleString() + ' prompt');
    if (sample.ms !== undefined) parts.push((sample.ms / 1000).toFixed(1) + ' s');
    return parts.join(' · ');
  }

  function renderSample(sample) {
    const verdict = sample.ok === true ? 'ok' : sample.ok === false ? 'bad' : '';
    const card = el('div', 'sample ' + verdict);
    const head = el('div');
    head.appendChild(el('b', null, 'sample ' + sample.s + ' '));
    head.appendChild(el('span', 'verdict ' + verdict,
      sample.ok === true ? '✓ correct' : sample.ok === false ? '✗ wrong' : 'not graded'));
    head.appendChild(el('span', null, ' · extracted: '));
    head.appendChild(el('code', null, sample.x === undefined || sample.x === '' ? '(none)' : sample.x));
    if (sample.why) head.appendChild(el('span', 'muted', ' · ' + sample.why + (sample.rule ? ' (' + sample.rule + ')' : '')));
    head.appendChild(el('span', 'muted', ' · finish: ' + (sample.fin || '?')));
    card.appendChild(head);
    card.appendChild(el('div', 'muted', tokens(sample)));
    if (sample.err) card.appendChild(el('div', 'omitted', 'error: ' + sample.err));
    const reasoning = sample.r || ['', '', 0];
    if (reasoning[0] || reasoning[1]) {
      const details = el('details');
      details.appendChild(el('summary', null, 'reasoning' + (sample.rt !== undefined ? ' (' + sample.rt.toLocaleString() + ' tokens)' : '')));
      details.addEventListener('toggle', function fill() {
        if (details.open && details.childNodes.length === 1) details.appendChild(longText(reasoning, 'response'));
      });
      card.appendChild(details);
    }
    card.appendChild(longText(sample.a || ['', '', 0], 'response answer'));
    return card;
  }

  function openProblem(index) {
    const block = document.getElementById('d-' + index);
    if (!block) return;
    const data = JSON.parse(block.textContent);
    for (const row of matrix.tBodies[0].rows) row.classList.toggle('selected', row.dataset.p === String(index));
    viewer.replaceChildren();
    viewer.appendChild(el('h3', null, 'Problem ' + data.id));
    viewer.appendChild(el('div', 'problem-text', data.problem || '(problem text not in the run folder)'));
    const gold = el('p');
    gold.appendChild(el('span', null, 'Gold answer: '));
    gold.appendChild(el('code', null, data.answer));
    viewer.appendChild(gold);
    data.runs.forEach(function (run, r) {
      const box = el('div', 'run');
      const title = el('h4');
      title.appendChild(el('span', 'swatch s' + (r % 8)));
      title.appendChild(el('span', null, run.label + ' — ' + run.samples.filter(function (s) { return s.ok; }).length +
        '/' + run.samples.length + ' correct' + (run.cons ? ', majority answer ' + run.cons : '')));
      box.appendChild(title);
      for (const sample of run.samples) box.appendChild(renderSample(sample));
      viewer.appendChild(box);
    });
    viewer.scrollIntoView({ block: 'start' });
  }

  if (matrix) {
    for (const th of matrix.tHead.rows[0].cells) {
      if (th.dataset.sort) th.addEventListener('click', function () { sortMatrix(th); });
    }
    matrix.tBodies[0].addEventListener('click', function (event) {
      const button = event.target.closest('button.open');
      if (button) openProblem(button.dataset.p);
    });
    document.getElementById('disagree-only').addEventListener('change', applyFilter);
    applyFilter();
  }
  document.documentElement.dataset.ready = '1';
})();
