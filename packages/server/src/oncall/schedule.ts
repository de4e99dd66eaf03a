/**
 * Who is on call: answered exactly from a schedule's layers, restrictions
 * and overrides. Handoffs and restriction windows are placed on the
 * schedule's local clock (a daily 09:00 handoff stays at 09:00 across DST;
 * a week is 7 local days), then turned into instants with the gap and
 * overlap rule of local-time.ts. Every answer is computed from those
 * instants, so onCallAt() and shifts() always agree.
 */
import { VigilError } from '../errors.ts';
import { DAY_MS, MINUTE_MS, fromWall, startOfDay, toWall, weekdayOf } from '../local-time.ts';
import { OVERRIDE_LAYER, type Layer, type OnCall, type Restriction, type Schedule, type Shift } from './model.ts';

const HOUR_MS = 3_600_000;
/** shifts() answers for at most this long a range: the UI asks for two weeks. */
export const MAX_SHIFTS_RANGE_MS = 92 * DAY_MS;

/** Who is on call at `atMs`: the latest override covering it, else the latest layer with someone on call. */
export function onCallAt(schedule: Schedule, atMs: number): OnCall | undefined {
  for (let i = schedule.overrides.length - 1; i >= 0; i--) {
    const o = schedule.overrides[i];
    if (atMs >= o.startMs && atMs < o.endMs) return { person: o.person, layer: OVERRIDE_LAYER };
  }
  for (let i = schedule.layers.length - 1; i >= 0; i--) {
    const person = layerPersonAt(schedule.layers[i], schedule.time_zone, atMs);
    if (person !== undefined) return { person, layer: schedule.layers[i].name };
  }
  return undefined;
}

/** The final shifts overlapping [fromMs, toMs), clipped to it; adjacent stretches of the same person and layer are one shift. */
export function shifts(schedule: Schedule, fromMs: number, toMs: number): Shift[] {
  if (!(toMs > fromMs)) return [];
  if (toMs - fromMs > MAX_SHIFTS_RANGE_MS) {
    throw new VigilError('VIGIL_ERR_QUERY_PARAM', `a shifts range may span at most ${MAX_SHIFTS_RANGE_MS / DAY_MS} days`);
  }
  const edges = [...changeInstants(schedule, fromMs, toMs)].filter((t) => t > fromMs && t < toMs);
  const cuts = [fromMs, ...new Set(edges.sort((a, b) => a - b)), toMs];
  const result: Shift[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const who = onCallAt(schedule, cuts[i]);
    if (who) appendShift(result, { ...who, startMs: cuts[i], endMs: cuts[i + 1] });
  }
  return result;
}

function appendShift(result: Shift[], shift: Shift): void {
  const last = result.at(-1);
  if (last && last.endMs === shift.startMs && last.person === shift.person && last.layer === shift.layer) last.endMs = shift.endMs;
  else result.push(shift);
}

/** Every instant at which the answer may change: layer starts, handoffs, restriction edges, override edges. */
function* changeInstants(schedule: Schedule, fromMs: number, toMs: number): Generator<number> {
  for (const o of schedule.overrides) yield* [o.startMs, o.endMs];
  for (const layer of schedule.layers) {
    yield layer.startMs;
    yield* handoffsBetween(layer, schedule.time_zone, Math.max(fromMs, layer.startMs), toMs);
    yield* restrictionEdges(layer.restrictions, schedule.time_zone, fromMs, toMs);
  }
}

// ---- rotation ---------------------------------------------------------------

function layerPersonAt(layer: Layer, zone: string, atMs: number): string | undefined {
  if (atMs < layer.startMs) return undefined;
  if (layer.restrictions.length > 0 && !layer.restrictions.some((r) => inRestriction(r, zone, atMs))) return undefined;
  const clock = clockOf(layer, zone);
  const turn = turnIndexAt(layer, zone, clock.anchorWall, atMs) - clock.firstTurn;
  const n = layer.participants.length;
  return layer.participants[((turn % n) + n) % n];
}

/** Handoff 0 is at the handoff time on the start's local day; `firstTurn` is the turn holding the start. */
interface LayerClock {
  zone: string;
  anchorWall: number;
  firstTurn: number;
}

/** Layers are immutable config, so their clock is worked out once per zone. */
const layerClocks = new WeakMap<Layer, LayerClock>();

function clockOf(layer: Layer, zone: string): LayerClock {
  let clock = layerClocks.get(layer);
  if (clock?.zone !== zone) {
    const anchorWall = startOfDay(toWall(layer.startMs, zone)) + layer.handoffMinute * MINUTE_MS;
    clock = { zone, anchorWall, firstTurn: turnIndexAt(layer, zone, anchorWall, layer.startMs) };
    layerClocks.set(layer, clock);
  }
  return clock;
}

/** Handoff k is k rotations after handoff 0, counted on the local clock. */
function handoffAt(layer: Layer, zone: string, anchorWall: number, k: number): number {
  return fromWall(anchorWall + k * rotationWallMs(layer), zone);
}

function rotationWallMs(layer: Layer): number {
  return layer.rotation.count * (layer.rotation.unit === 'day' ? DAY_MS : HOUR_MS);
}

/** The k with handoff k ≤ atMs < handoff k+1, found from the instants themselves so DST cannot put it off by one. */
function turnIndexAt(layer: Layer, zone: string, anchorWall: number, atMs: number): number {
  let k = Math.floor((toWall(atMs, zone) - anchorWall) / rotationWallMs(layer));
  while (handoffAt(layer, zone, anchorWall, k + 1) <= atMs) k++;
  while (handoffAt(layer, zone, anchorWall, k) > atMs) k--;
  return k;
}

function* handoffsBetween(layer: Layer, zone: string, fromMs: number, toMs: number): Generator<number> {
  if (fromMs >= toMs) return;
  const { anchorWall } = clockOf(layer, zone);
  for (let k = turnIndexAt(layer, zone, anchorWall, fromMs) + 1; ; k++) {
    const at = handoffAt(layer, zone, anchorWall, k);
    if (at >= toMs) return;
    yield at;
  }
}

// ---- restrictions -----------------------------------------------------------

/** The window a restriction opens on the local day starting at `dayWall`, if it opens that day. */
function windowOn(r: Restriction, zone: string, dayWall: number): [number, number] | undefined {
  if (!r.days.includes(weekdayOf(dayWall))) return undefined;
  const endWall = dayWall + r.toMinute * MINUTE_MS + (r.toMinute <= r.fromMinute ? DAY_MS : 0);
  return [fromWall(dayWall + r.fromMinute * MINUTE_MS, zone), fromWall(endWall, zone)];
}

/** A window opens on one local day and may run into the next, so today's and yesterday's are checked. */
function inRestriction(r: Restriction, zone: string, atMs: number): boolean {
  const today = startOfDay(toWall(atMs, zone));
  return [today - DAY_MS, today].some((day) => {
    const window = windowOn(r, zone, day);
    return window !== undefined && atMs >= window[0] && atMs < window[1];
  });
}

function* restrictionEdges(restrictions: Restriction[], zone: string, fromMs: number, toMs: number): Generator<number> {
  if (restrictions.length === 0) return;
  const lastDay = startOfDay(toWall(toMs, zone));
  for (let day = startOfDay(toWall(fromMs, zone)) - DAY_MS; day <= lastDay; day += DAY_MS) {
    for (const r of restrictions) yield* windowOn(r, zone, day) ?? [];
  }
}
