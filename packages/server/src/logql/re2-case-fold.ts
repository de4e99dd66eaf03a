/**
 * Case-insensitive matching for part of a pattern (`(?i:abc)`, `a(?i)bc`):
 * Node 20's V8 has no inline modifiers, so re2-translate.ts spells each
 * letter as the class of its case variants (`[Aa]`), with these helpers.
 */

/** Variants that toLowerCase/toUpperCase do not reach (simple case folding orbits). */
const EXTRA_VARIANTS: Record<number, number[]> = {
  0x4b: [0x212a], 0x6b: [0x212a], 0x212a: [0x4b, 0x6b], // K k and the Kelvin sign
  0x53: [0x17f], 0x73: [0x17f], 0x17f: [0x53, 0x73], // S s and long s
  0xc5: [0x212b], 0xe5: [0x212b], 0x212b: [0xc5, 0xe5], // Å å and the Angstrom sign
  0x3a9: [0x2126], 0x3c9: [0x2126], 0x2126: [0x3a9, 0x3c9], // Ω ω and the Ohm sign
  0x3a3: [0x3c2], 0x3c3: [0x3c2], 0x3c2: [0x3a3, 0x3c3], // Σ σ and final ς
};

/**
 * Non-ASCII code points of class ranges looked at for variants, per pattern:
 * a range wider than what is left keeps only its ASCII letters' variants.
 */
export const FOLD_RANGE_BUDGET = 20_000;

/** The code points that match `cp` ignoring case, `cp` first. */
export function caseVariants(cp: number): number[] {
  const out = [cp];
  const add = (c: number | undefined): void => {
    if (c !== undefined && !out.includes(c)) out.push(c);
  };
  const ch = String.fromCodePoint(cp);
  for (const other of [ch.toLowerCase(), ch.toUpperCase()]) {
    // Multi-character mappings (ß → SS) are not simple folds.
    if ([...other].length === 1) add(other.codePointAt(0));
  }
  for (const c of [...out]) for (const extra of EXTRA_VARIANTS[c] ?? []) add(extra);
  return out;
}

/** For a range lo-hi: the variants outside it, ASCII letters by arithmetic, others within `budget`. */
export function rangeVariants(lo: number, hi: number, budget: { left: number }): number[] {
  const out = new Set<number>();
  const add = (from: number, to: number): void => {
    for (let c = from; c <= to; c++) for (const v of caseVariants(c)) if (v < lo || v > hi) out.add(v);
  };
  add(Math.max(lo, 0x41), Math.min(hi, 0x5a));
  add(Math.max(lo, 0x61), Math.min(hi, 0x7a));
  const from = Math.max(lo, 0x80);
  if (hi >= from && hi - from + 1 <= budget.left) {
    budget.left -= hi - from + 1;
    add(from, hi);
  }
  return [...out];
}
