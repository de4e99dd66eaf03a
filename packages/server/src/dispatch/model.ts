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

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK = 0xffffffffffffffffn;

/** Alertmanager's fingerprint: FNV-1a 64 over the sorted names and values, 0xff-separated, as 16 hex digits. */
export function fingerprint(labels: LabelSet): string {
  let hash = FNV_OFFSET;
  const add = (bytes: Uint8Array) => {
    for (const b of bytes) hash = ((hash ^ BigInt(b)) * FNV_PRIME) & MASK;
  };
  const separator = new Uint8Array([0xff]);
  const encoder = new TextEncoder();
  for (const name of Object.keys(labels).sort()) {
    add(encoder.encode(name));
    add(separator);
    add(encoder.encode(labels[name]));
    add(separator);
  }
  return hash.toString(16).padStart(16, '0');
}
