/**
 * Marking an incident as noise (a false positive): the mark is a timeline
 * entry, so it shows in the record and the metrics count it, and it can be
 * taken back. The incident's state does not change.
 */
import { VigilError } from '../errors.ts';
import type { TimelineEntry } from './incident-store.ts';
import type { Actor, Incidents } from './incidents.ts';

export const NOISE_ACTION = 'marked-noise';
export const NOT_NOISE_ACTION = 'unmarked-noise';

/** Whether the incident's latest noise mark stands. */
export function isNoise(timeline: TimelineEntry[]): boolean {
  const marks = timeline.filter((entry) => entry.action === NOISE_ACTION || entry.action === NOT_NOISE_ACTION);
  return marks.at(-1)?.action === NOISE_ACTION;
}

/** Marks (or with `noise` false, unmarks) an incident as noise; false when it already was so. */
export function markNoise(incidents: Incidents, id: string, by: Actor, at: number, noise = true): boolean {
  return incidents.store.transaction(() => {
    if (!incidents.get(id)) throw new VigilError('VIGIL_ERR_NOT_FOUND', `incident "${id}" not found`);
    if (isNoise(incidents.timeline(id)) === noise) return false;
    incidents.store.appendTimeline(id, { at, actor: by.actor, via: by.via, action: noise ? NOISE_ACTION : NOT_NOISE_ACTION, detail: {} });
    return true;
  });
}
