/**
 * Pins in the share link: each as its JSON in its own dialect (the same forms a paste takes), its name,
 * colour and shown state. A link comes from anyone: the list is checked here (shape, sizes,
 * colour form) and its schedules go through the preflight worker like a paste's.
 */
import { scheduleJsonText, schedulesFromJson } from './lib.ts';
import { configKey, hexColor, parseHex, type Pin, type Rgb } from './pin-model.ts';
import { SweepError, checkExtraItems, shownValue } from './sweep.ts';
import { PIN_COLORS } from './view.ts';

export interface LinkPin {
  /** The schedule as JSON of its dialect (parsed), built with the paste's code. */
  readonly keras: unknown;
  readonly name: string;
  readonly color: Rgb;
  readonly hidden: boolean;
}

/** Longest pin name kept. */
export const MAX_PIN_NAME = 120;

/** What the link carries of each pin. */
export function pinLink(pins: readonly Pin[]): { keras: unknown; name: string; color: string; hidden: boolean }[] {
  return pins.map((p) => ({ keras: JSON.parse(scheduleJsonText([p.schedule])) as unknown, name: p.name, color: hexColor(p.color), hidden: p.hidden }));
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The link's `pins` (absent: none), checked; throws SweepError naming `pins[i].field`. */
export function readLinkPins(raw: unknown): LinkPin[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw new SweepError('pins', `must be a list, got ${shownValue(raw)}`);
  if (raw.length > PIN_COLORS.length) throw new SweepError('pins', `${raw.length} pins; at most ${PIN_COLORS.length}`);
  return raw.map((p, i) => {
    if (!isRecord(p)) throw new SweepError(`pins[${i}]`, `must be an object with keras, name, color and hidden, got ${shownValue(p)}`);
    const { keras, name, color, hidden } = p;
    checkExtraItems([keras], () => `pins[${i}].keras`);
    if (typeof name !== 'string' || name.length > MAX_PIN_NAME) throw new SweepError(`pins[${i}].name`, `must be text of at most ${MAX_PIN_NAME} characters, got ${shownValue(name)}`);
    const rgb = typeof color === 'string' ? parseHex(color) : null;
    if (!rgb) throw new SweepError(`pins[${i}].color`, `must be a colour as #rrggbb, got ${shownValue(color)}`);
    if (typeof hidden !== 'boolean') throw new SweepError(`pins[${i}].hidden`, `must be true or false, got ${shownValue(hidden)}`);
    return { keras, name, color: rgb, hidden };
  });
}

/** A link's pins as pins (their schedules were checked by the link's preflight). */
export function linkPins(list: readonly LinkPin[]): Pin[] {
  return list.flatMap((p) => {
    const s = schedulesFromJson(p.keras)[0];
    return s ? [{ key: configKey(s), schedule: s, name: p.name, color: p.color, hidden: p.hidden }] : [];
  });
}
