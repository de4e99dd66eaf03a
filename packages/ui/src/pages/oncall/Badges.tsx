/** Severity and state as coloured badges (colours in oncall.css and the shared severity classes). */
export function SeverityBadge({ severity }: { severity: string }) {
  return <span className={`oncall-badge severity-${severity}`}>{severity}</span>;
}

export function StateBadge({ state }: { state: string }) {
  return <span className={`oncall-badge oncall-state-${state}`}>{state}</span>;
}
