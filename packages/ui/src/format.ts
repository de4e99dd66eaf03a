/** Units for panels and charts: s, ms, bytes, percent (0–100), percentunit (0–1), req/s. */
export type Unit = 's' | 'ms' | 'bytes' | 'percent' | 'percentunit' | 'reqps' | 'short' | undefined;

export function formatValue(value: number, unit?: Unit): string {
  if (!Number.isFinite(value)) return String(value);
  switch (unit) {
    case 's':
      return seconds(value);
    case 'ms':
      return seconds(value / 1000);
    case 'bytes':
      return bytes(value);
    case 'percent':
      return `${trim(value)}%`;
    case 'percentunit':
      return `${trim(value * 100)}%`;
    case 'reqps':
      return `${short(value)} req/s`;
    default:
      return short(value);
  }
}

function trim(value: number): string {
  return Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(2).replace(/\.?0+$/, '') || '0';
}

function short(value: number): string {
  const abs = Math.abs(value);
  for (const [size, suffix] of [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']] as const) if (abs >= size) return `${trim(value / size)}${suffix}`;
  return trim(value);
}

function seconds(value: number): string {
  const abs = Math.abs(value);
  if (abs === 0) return '0 s';
  if (abs < 1e-3) return `${trim(value * 1e6)} µs`;
  if (abs < 1) return `${trim(value * 1e3)} ms`;
  if (abs < 60) return `${trim(value)} s`;
  if (abs < 3600) return `${trim(value / 60)} min`;
  return `${trim(value / 3600)} h`;
}

function bytes(value: number): string {
  const abs = Math.abs(value);
  for (const [size, suffix] of [[2 ** 40, 'TiB'], [2 ** 30, 'GiB'], [2 ** 20, 'MiB'], [2 ** 10, 'KiB']] as const) if (abs >= size) return `${trim(value / size)} ${suffix}`;
  return `${trim(value)} B`;
}
