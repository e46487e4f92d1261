/** Pasted JSON (Keras, PyTorch, Hugging Face, Optax): checked, built and computed in the preflight worker, then added to the sweep. */
import { apply, SUPERSEDED } from './apply.ts';
import { sweepRows } from './build.ts';
import { schedulesFromJson } from './lib.ts';
import { preflight } from './preflight.ts';
import type { App } from './state.ts';
import { busyOff, busyOn, describeError, hideError, showError } from './status.ts';
import { MAX_SCHEDULES, checkExtraItems, productCount, totalCount, validateSweep, type SweepDef } from './sweep.ts';

const UNCHANGED = 'The current sweep is unchanged.';

/** The latest requested sweep: the form's, or the last good definition when the form has an error (shown next to it). */
function latestSweep(app: App): SweepDef {
  try {
    return app.form.read(app.state.wanted);
  } catch {
    return app.state.wanted;
  }
}

/**
 * Adds pasted JSON of any dialect: one object or a flat list of objects (each one schedule). The
 * shape and the caps are checked on the parsed JSON before any schedule is built; the
 * new items are then built and computed in the preflight worker (a config the library
 * cannot compute promptly is refused there, naming it), and only then added.
 */
export async function onPaste(app: App): Promise<void> {
  const { pasteText, pasteError, pasteAdd } = app.ui;
  const text = pasteText.value.trim();
  if (text === '') {
    showError(pasteError, 'Paste a schedule or optimizer config (JSON: Keras, PyTorch, Hugging Face or Optax) first.');
    return;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    showError(pasteError, `Not valid JSON: ${describeError(e)}. ${UNCHANGED}`);
    return;
  }
  const items: unknown[] = Array.isArray(json) ? json : [json];
  try {
    checkExtraItems(items, (i) => (Array.isArray(json) ? `[${i}]` : 'json'));
  } catch (e) {
    showError(pasteError, `Not a schedule: ${describeError(e)}. ${UNCHANGED}`);
    return;
  }
  const base = latestSweep(app);
  const total = totalCount(base) + items.length;
  if (total > MAX_SCHEDULES) {
    showError(pasteError, `sweep: ${totalCount(base).toLocaleString('en-US')} schedules + ${items.length.toLocaleString('en-US')} pasted = ${total.toLocaleString('en-US')}; at most ${MAX_SCHEDULES.toLocaleString('en-US')}. ${UNCHANGED}`);
    return;
  }
  const candidate: SweepDef = { ...base, extra: [...base.extra, ...items] };
  try {
    validateSweep(candidate);
  } catch (e) {
    showError(pasteError, `${describeError(e)}. ${UNCHANGED}`);
    return;
  }
  const first = productCount(base) + base.extra.length;
  const itemName = (k: number): string => (Array.isArray(json) ? `item [${k}] of the list: ` : '');
  pasteAdd.disabled = true;
  busyOn(app);
  try {
    const rows = sweepRows(candidate);
    const checked = await preflight({ def: candidate, from: first }, rows);
    if (checked === null) {
      // No worker in this browser: build them here (the library's errors name the key).
      for (let k = 0; k < items.length; k++) {
        try {
          schedulesFromJson(items[k]);
        } catch (e) {
          showError(pasteError, `Not a schedule: ${itemName(k)}${describeError(e)}. ${UNCHANGED}`);
          return;
        }
      }
    } else if (!checked.ok) {
      const m = /^extra\[(\d+)\]$/.exec(checked.field);
      const k = m ? Number(m[1]) - base.extra.length : -1;
      const detail = m ? checked.message.slice(checked.field.length + 2) : checked.message;
      const which = k >= 0 ? itemName(k) : '';
      showError(pasteError, checked.timedOut ? `Not computed: ${which}${detail}. ${UNCHANGED}` : `Not a schedule: ${which}${detail}. ${UNCHANGED}`);
      return;
    }
  } finally {
    pasteAdd.disabled = false;
    busyOff(app);
  }
  clearTimeout(app.state.applyTimer);
  // Added to the latest requested sweep (a form edit made while the check ran is kept).
  const latest = latestSweep(app);
  const next: SweepDef = { ...latest, extra: [...latest.extra, ...items] };
  hideError(pasteError);
  pasteText.value = '';
  const count = items.length;
  const error = await apply(app, next, { note: `added ${count} pasted schedule${count === 1 ? '' : 's'}` });
  if (error !== null && error !== SUPERSEDED) {
    showError(pasteError, `The pasted schedule${count === 1 ? ' was' : 's were'} not added: ${error}`);
    pasteText.value = text;
  }
}
