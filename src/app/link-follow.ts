/**
 * A share link opened in a tab that already shows the explorer: pasted into the address bar,
 * or back and forward between links. Only the hash changes, so the page is not loaded again;
 * `hashchange` fires (for a traversal between entries that differ in their hash too, where
 * `popstate` fires as well: listening to both would follow each link twice; the page itself
 * never pushes entries, and *Copy link* replaces the current one, which fires neither). The
 * link goes through the same check as at load (setup.ts linkedSweep: decoded and validated,
 * then built and computed in the preflight worker; it returns the sweep or why it is refused),
 * then its sweep and pins are applied as at load. A refused link gives the reason it would at
 * load, and the plot keeps the sweep drawn before, with the notice over it (status.ts
 * showRefusal); the form and the pins are left as they were. A link pasted while the page
 * is still starting is followed once it has started (the latest one).
 */
import { apply, SUPERSEDED, summaryText } from './apply.ts';
import { linkPins } from './pin-link.ts';
import { renderPins } from './pins.ts';
import { linkedSweep } from './setup.ts';
import type { App } from './state.ts';
import { busyOff, busyOn, hideError, setStatusText, showError, showRefusal, updateStatus } from './status.ts';
import { isSweepLink } from './sweep-link.ts';
import { syncToolbar } from './toolbar.ts';
import { syncZoomControls } from './zoom-ui.ts';

/** The page's hash watched from its first moment; `started` once the start-up has drawn. */
export interface LinkWatch {
  /**
   * The start-up has ended (its first sweep drawn or refused), having used the link in `used`
   * (the hash it read): a hash that changed meanwhile is followed now (only the latest: the
   * one in the address bar), and every later change as it comes.
   */
  started(app: App, used: string): void;
}

/**
 * Listens to `hashchange` at once (main.ts calls it before the start-up), so a link pasted
 * while the page starts is not lost: until `started`, a change is only noted (following it
 * then would race the start-up's own first apply, whose refusal path would draw the default
 * sweep over it); from then on each change is followed, and a later one supersedes it.
 */
export function watchLinks(): LinkWatch {
  let app: App | null = null;
  let latest = 0;
  // A hashchange came before `started` (not *Copy link*'s replaceState during the first apply, which fires none).
  let missed = false;
  const follow = (a: App): void => {
    const mine = ++latest;
    void followLink(a, () => mine === latest);
  };
  window.addEventListener('hashchange', () => {
    if (app) follow(app);
    else missed = true;
  });
  return {
    started(a, used) {
      app = a;
      if (missed && location.hash !== used) follow(a);
    },
  };
}

/** The banner and the notice for a link that was not used (`why`: its field, value and rule). */
function refuseFollowed(app: App, why: string): void {
  const { ui, state } = app;
  ui.status.dataset['linkError'] = why;
  showError(ui.urlError, `The shared link could not be used (${why}); the plot keeps the sweep drawn before.`);
  const l = state.loaded;
  if (l) showRefusal(`The plot still shows the previous sweep: ${summaryText(l.def).title}. The shared link's sweep was not drawn: ${why}`, 'link');
  updateStatus(app);
}

/** Checks and applies the link now in the hash; `current()` is false once a later hash change superseded it. */
async function followLink(app: App, current: () => boolean): Promise<void> {
  const { ui, state, form } = app;
  // A hash without a sweep (the page's own address, `#`) leaves the page as the user has it.
  if (!isSweepLink(location.hash)) return;
  delete ui.status.dataset['linkError'];
  busyOn(app);
  let link: Awaited<ReturnType<typeof linkedSweep>>;
  try {
    link = await linkedSweep(location.hash, state.timings, { checking: () => setStatusText(ui.status, 'checking the shared link…') });
  } finally {
    busyOff(app);
  }
  if (!current() || !link) return;
  if (!link.ok) {
    refuseFollowed(app, link.why);
    return;
  }
  const before = { def: state.def, pins: state.pins };
  // A form edit still waiting for its apply would draw over the link's sweep.
  clearTimeout(state.applyTimer);
  hideError(ui.urlError);
  state.def = link.def;
  state.pins = linkPins(link.pins);
  state.view = { x: null, y: null, xLog: false };
  state.hiddenGroups.clear();
  syncZoomControls(app);
  renderPins(app);
  form.set(state.def);
  syncToolbar(app);
  const error = await apply(app, link.def, { quiet: true });
  if (error === null || error === SUPERSEDED || !current()) return;
  // Checked in the worker, yet not drawn here: the form and the pins go back to the sweep on screen.
  state.def = state.loaded?.def ?? before.def;
  state.pins = before.pins;
  renderPins(app);
  form.set(state.def);
  syncToolbar(app);
  refuseFollowed(app, error);
}
