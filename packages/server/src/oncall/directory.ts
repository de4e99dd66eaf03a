/**
 * Whom a notify target means at a given time, read from a validated
 * config: a schedule is whoever is on call in it, a team is its members.
 * The escalation engine asks this through its own small interface.
 */
import type { NotifyTarget, OncallConfig, Person } from './model.ts';
import { onCallAt } from './schedule.ts';

export interface OncallDirectory {
  /** Person ids, in config order; empty when a schedule has nobody on call or an id is unknown. */
  resolve(target: NotifyTarget, atMs: number): string[];
  person(id: string): Person | undefined;
}

export function createDirectory(config: OncallConfig): OncallDirectory {
  const people = new Map(config.people.map((p) => [p.id, p]));
  const teams = new Map(config.teams.map((t) => [t.id, t]));
  const schedules = new Map(config.schedules.map((s) => [s.id, s]));
  return {
    resolve(target, atMs) {
      if ('person' in target) return people.has(target.person) ? [target.person] : [];
      if ('team' in target) return teams.get(target.team)?.members ?? [];
      const schedule = schedules.get(target.schedule);
      const onCall = schedule && onCallAt(schedule, atMs);
      return onCall ? [onCall.person] : [];
    },
    person: (id) => people.get(id),
  };
}
