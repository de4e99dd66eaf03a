import './label-chips.css';

/** Labels as `name=value` chips, in name order. */
export function LabelChips({ labels, label = 'Labels' }: { labels: Record<string, string>; label?: string }) {
  const names = Object.keys(labels).sort();
  if (names.length === 0) return null;
  return (
    <ul className="alerts-chips" aria-label={label}>
      {names.map((name) => (
        <li key={name} className="alerts-chip">
          <span className="alerts-chip-name">{name}</span>=<span>{labels[name]}</span>
        </li>
      ))}
    </ul>
  );
}

/** Only http(s) and same-site links from annotations, so an alert cannot plant a `javascript:` link. */
export function safeHref(url: string | undefined): string | undefined {
  if (!url) return undefined;
  return /^(https?:\/\/|\/(?!\/)|#)/i.test(url.trim()) ? url.trim() : undefined;
}
