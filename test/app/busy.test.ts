/** The "evaluating…" indicator (status.ts busyOn/busyOff): shown while any apply or paste check runs. */
import { describe, expect, it } from 'vitest';
import type { App } from '../../src/app/state.ts';
import { busyOff, busyOn } from '../../src/app/status.ts';

function fakeApp(): { app: App; busy: { hidden: boolean } } {
  const busy = { hidden: true };
  return { app: { ui: { busy }, state: { busyHolds: 0 } } as unknown as App, busy };
}

describe('busyOn / busyOff', () => {
  it('shows the indicator while any hold is taken and hides it when the last is released', () => {
    const { app, busy } = fakeApp();
    busyOn(app);
    busyOn(app); // a paste check under a running apply
    expect(busy.hidden).toBe(false);
    busyOff(app);
    expect(busy.hidden).toBe(false);
    busyOff(app);
    expect(busy.hidden).toBe(true);
  });

  it('an extra release keeps it hidden and the count at zero', () => {
    const { app, busy } = fakeApp();
    busyOff(app);
    expect(busy.hidden).toBe(true);
    expect(app.state.busyHolds).toBe(0);
    busyOn(app);
    expect(busy.hidden).toBe(false);
  });
});
