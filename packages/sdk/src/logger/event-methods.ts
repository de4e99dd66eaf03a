/**
 * log.event / log.security / log.audit: one line with an `event` field, at
 * the level and category the catalogue (events.ts) gives the name, unless
 * the call overrides them.
 */
import { catalogued, defaultEventKind, isCategory, type Category, type EventKind } from './events.ts';
import { customLevels, type LevelName } from './levels.ts';

export interface EventOverride {
  level?: LevelName;
  category?: Category;
}

export type EventFields = Record<string, unknown> & { msg?: string };

export interface EventMethods {
  /** Logs `event: name` at the catalogued level and category; `fields.msg` is the message (default: the name). */
  event(name: string, fields?: EventFields, override?: EventOverride): void;
  /** event() with category security; level as catalogued, else warning. */
  security(name: string, fields?: EventFields): void;
  /** event() with category audit; level as catalogued, else info. */
  audit(name: string, fields?: EventFields): void;
}

type LevelMethods = Record<LevelName, (obj: object, msg?: string) => void>;

const securityDefault: EventKind = { category: 'security', level: 'warning' };
const auditDefault: EventKind = { category: 'audit', level: 'info' };

/** Methods for the root logger; children inherit them, and `this` is whichever logger is called. */
export function createEventMethods(): EventMethods {
  return {
    event(this: LevelMethods, name, fields, override) {
      const known = catalogued(String(name)) ?? defaultEventKind;
      const category = override?.category ?? (isCategory(fields?.category) ? fields.category : known.category);
      emit(this, name, fields, override?.level ?? known.level, category, known);
    },
    security(this: LevelMethods, name, fields) {
      const known = catalogued(String(name));
      emit(this, name, fields, known?.level ?? securityDefault.level, 'security', securityDefault);
    },
    audit(this: LevelMethods, name, fields) {
      const known = catalogued(String(name));
      emit(this, name, fields, known?.level ?? auditDefault.level, 'audit', auditDefault);
    },
  };
}

/**
 * Bad overrides (an unknown level or category) fall back to `fallback`: the
 * helpers never throw and never write a category the server would not know.
 */
function emit(
  logger: LevelMethods,
  name: unknown,
  fields: EventFields | undefined,
  level: string,
  category: string,
  fallback: EventKind,
): void {
  const event = typeof name === 'string' ? name : String(name);
  const method = Object.hasOwn(customLevels, level) ? (level as LevelName) : fallback.level;
  const line: Record<string, unknown> = { category: isCategory(category) ? category : fallback.category, event };
  let msg: unknown = event;
  try {
    if (fields !== null && typeof fields === 'object') {
      for (const key of Object.keys(fields)) {
        if (key === 'msg') msg = fields.msg;
        else if (key !== 'event' && key !== 'category') line[key] = fields[key];
      }
    }
  } catch {
    line.log_error = '[FIELDS UNREADABLE]'; // a throwing getter: log the event without its fields
  }
  logger[method](line, typeof msg === 'string' ? msg : String(msg));
}
