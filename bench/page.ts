/**
 * The benchmark page (bench.html): the same suite as `npm run bench`, in the
 * browser, WebGPU through navigator.gpu and tfjs's webgpu and cpu backends.
 * Everything is built with DOM APIs (textContent, createElement): no markup from data.
 */
import { acquireDevice } from '../src/index.ts';
import { barChart } from './chart.ts';
import { adapterRecord, project } from './project.ts';
import { readyTf, type Tf, type TfHandle } from './peers.ts';
import { COLUMNS, formatRatios } from './report.ts';
import { defaultOptions } from './options.ts';
import { runSuite } from './suite.ts';
import { GROUPS, type BenchEnv, type Group, type Row, type SuiteResult } from './types.ts';

function byId<T extends HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (!e) throw new Error(`bench.html has no #${id}`);
  return e as T;
}

const status = byId<HTMLParagraphElement>('status');
const envLine = byId<HTMLParagraphElement>('env');
const runButton = byId<HTMLButtonElement>('run');
const mode = byId<HTMLSelectElement>('mode');
const groupsBox = byId<HTMLFieldSetElement>('groups');
const chart = byId<HTMLDivElement>('chart');
const ratios = byId<HTMLPreElement>('ratios');
const table = byId<HTMLTableElement>('table');
const download = byId<HTMLAnchorElement>('download');

const groupInputs = new Map<Group, HTMLInputElement>();
for (const g of GROUPS) {
  const label = document.createElement('label');
  const input = document.createElement('input');
  input.type = 'checkbox';
  input.checked = true;
  input.value = g;
  label.append(input, ` ${g}`);
  groupsBox.append(label);
  groupInputs.set(g, input);
}

function renderHead(): void {
  const tr = document.createElement('tr');
  for (const c of COLUMNS) {
    const th = document.createElement('th');
    th.textContent = c.title;
    th.title = c.help;
    if (c.align === 'right') th.className = 'right';
    tr.append(th);
  }
  table.tHead?.replaceChildren(tr);
}

function renderRows(rows: readonly Row[]): void {
  const body = table.tBodies[0];
  if (!body) return;
  body.replaceChildren(
    ...rows.map((r) => {
      const tr = document.createElement('tr');
      if (r.verdict === 'WRONG' || r.verdict === 'MISSED') tr.className = 'bad';
      else if (r.verdict === 'flagged') tr.className = 'flagged';
      for (const c of COLUMNS) {
        const td = document.createElement('td');
        td.textContent = c.format(r);
        if (c.align === 'right') td.className = 'right';
        tr.append(td);
      }
      return tr;
    }),
  );
  chart.replaceChildren(barChart(rows));
}

/** The page's own environment: navigator.gpu, tfjs loaded on demand. */
async function makeEnv(rows: Row[]): Promise<{ env: BenchEnv; adapter: Record<string, unknown> }> {
  let device: GPUDevice | undefined;
  let adapter: Record<string, unknown> = { available: false };
  try {
    const acquired = await acquireDevice();
    device = acquired.device;
    adapter = adapterRecord(acquired);
  } catch (err) {
    adapter = { available: false, reason: (err as Error).message };
  }
  let tfPromise: Promise<Tf> | undefined;
  const loadTf = async (): Promise<Tf> => {
    const tf = await import('@tensorflow/tfjs-core');
    await import('@tensorflow/tfjs-backend-cpu');
    await import('@tensorflow/tfjs-backend-webgpu');
    return tf;
  };
  const env: BenchEnv = {
    platform: 'browser',
    project,
    device,
    async tfjs(backend): Promise<TfHandle> {
      tfPromise ??= loadTf();
      return readyTf(await tfPromise, backend);
    },
    now: () => performance.now(),
    log: (line) => console.info(line),
    onRow(row) {
      rows.push(row);
      renderRows(rows);
      status.textContent = `running… ${rows.length} rows; last: ${row.id}`;
    },
    pause: () => new Promise((resolve) => setTimeout(resolve, 0)),
  };
  return { env, adapter };
}

declare global {
  interface Window {
    /** The last run's report (for automation: test/bench-page.browser.test.ts, scripts). */
    __benchResult?: SuiteResult & { adapter: Record<string, unknown>; machine: Record<string, unknown> };
  }
}

async function run(): Promise<void> {
  runButton.disabled = true;
  const rows: Row[] = [];
  renderRows(rows);
  ratios.textContent = '';
  download.hidden = true;
  try {
    const { env, adapter } = await makeEnv(rows);
    envLine.textContent = adapter.available
      ? `adapter: ${String(adapter.name)}${adapter.emulated === 'CPU emulation' ? ' — CPU emulation: read ratios, not absolute speed' : ''}; ${navigator.hardwareConcurrency} logical cores`
      : `no WebGPU (${String(adapter.reason)}): GPU rows are skipped`;
    const groups = new Set(GROUPS.filter((g) => groupInputs.get(g)?.checked));
    const opts = defaultOptions(mode.value !== 'full', groups);
    status.textContent = 'running…';
    const result = await runSuite(env, opts);
    env.device?.destroy();
    renderRows(result.rows);
    ratios.textContent = formatRatios(result);
    const machine = { userAgent: navigator.userAgent, cores: navigator.hardwareConcurrency, runtime: 'browser' };
    const report = { started: new Date().toISOString(), machine, adapter, ...result };
    window.__benchResult = report;
    const json = JSON.stringify(report, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2);
    download.href = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
    download.hidden = false;
    status.textContent = `${result.ok ? 'done' : 'done, with FAILURES'} in ${(result.totalMs / 1000).toFixed(1)} s (${result.rows.length} rows)`;
  } catch (err) {
    status.textContent = `failed: ${(err as Error).message}`;
  } finally {
    runButton.disabled = false;
  }
}

renderHead();
runButton.addEventListener('click', () => void run());
const params = new URLSearchParams(location.search);
if (params.get('mode') === 'full') mode.value = 'full';
const only = params.get('only');
if (only) for (const [g, input] of groupInputs) input.checked = only.split(',').includes(g);
if (params.has('autorun')) void run();
