/**
 * The alert as every stage after rule evaluation sees it: rules and
 * `POST /api/v2/alerts` produce it, the dispatcher groups it, notifiers
 * send it. Times are ms since the epoch.
 */
export type LabelSet = Record<string, string>;

export interface Alert {
  labels: LabelSet;
  annotations: LabelSet;
  startsAt: number;
  /** 0 when the sender gave none: the alert then resolves after `resolve_timeout`. */
  endsAt: number;
  generatorURL: string;
  /** When Vigil last received it. */
  updatedAt: number;
}

/** One alert inside a notification, as Alertmanager's webhook payload (version 4) has it. */
export interface NotificationAlert {
  status: 'firing' | 'resolved';
  labels: LabelSet;
  annotations: LabelSet;
  /** RFC 3339. */
  startsAt: string;
  /** RFC 3339; "0001-01-01T00:00:00Z" while firing with no end, as Alertmanager sends. */
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

/** What the dispatcher hands a receiver: Alertmanager's webhook payload without `version`. */
export interface Notification {
  receiver: string;
  status: 'firing' | 'resolved';
  alerts: NotificationAlert[];
  groupLabels: LabelSet;
  commonLabels: LabelSet;
  commonAnnotations: LabelSet;
  externalURL: string;
  groupKey: string;
  truncatedAlerts: number;
}

/** The outcome of sending one notification through one integration of a receiver. */
export interface SendResult {
  /** e.g. "webhook[0]", "slack[1]", "email[0]". */
  integration: string;
  ok: boolean;
  attempts: number;
  error?: string;
  /** Set when the receiver kept failing and its `fallback` receiver was used instead. */
  fallbackReceiver?: string;
}

/** How the dispatcher reaches the notifiers. */
export interface NotifierPort {
  send(receiver: string, notification: Notification): Promise<SendResult[]>;
}

/**
 * Alertmanager's fingerprint: FNV-1a 64 over the sorted names and values,
 * 0xff-separated, as 16 hex digits. Computed on two 32-bit halves (the
 * prime is 2^40 + 0x1b3), which is about ten times faster than BigInt.
 */
export function fingerprint(labels: LabelSet): string {
  const state = { hi: 0xcbf29ce4, lo: 0x84222325 };
  const names = Object.keys(labels).sort();
  for (const name of names) {
    hashText(state, name);
    hashByte(state, 0xff);
    hashText(state, labels[name]);
    hashByte(state, 0xff);
  }
  return state.hi.toString(16).padStart(8, '0') + state.lo.toString(16).padStart(8, '0');
}

interface FnvState {
  hi: number;
  lo: number;
}

function hashByte(state: FnvState, byte: number): void {
  const lo = (state.lo ^ byte) >>> 0;
  const low = lo * 0x1b3;
  state.hi = (state.hi * 0x1b3 + Math.floor(low / 0x100000000) + ((lo << 8) >>> 0)) >>> 0;
  state.lo = low >>> 0;
}

/** UTF-8 bytes of `text`; ASCII without encoding (label sets are almost always ASCII). */
function hashText(state: FnvState, text: string): void {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80) {
      for (const byte of encoder.encode(text.slice(i))) hashByte(state, byte);
      return;
    }
    hashByte(state, code);
  }
}

const encoder = new TextEncoder();
