/** The silence editor's matcher rows: label name, operator, value, and a remove button each. */
import { OPERATORS, type MatcherOp, type MatcherRow } from './matchers.ts';

export function MatcherRows({ rows, onChange }: { rows: MatcherRow[]; onChange: (rows: MatcherRow[]) => void }) {
  const update = (index: number, change: Partial<MatcherRow>) => onChange(rows.map((row, i) => (i === index ? { ...row, ...change } : row)));
  return (
    <fieldset>
      <legend>Matchers (all must match)</legend>
      {rows.map((row, index) => (
        <div key={index} className="alerts-matcher-row" role="group" aria-label={`Matcher ${index + 1}`}>
          <input aria-label={`Matcher ${index + 1} label name`} placeholder="label" value={row.name} onChange={(e) => update(index, { name: e.target.value })} />
          <select aria-label={`Matcher ${index + 1} operator`} value={row.op} onChange={(e) => update(index, { op: e.target.value as MatcherOp })}>
            {OPERATORS.map((op) => (
              <option key={op} value={op}>
                {op}
              </option>
            ))}
          </select>
          <input aria-label={`Matcher ${index + 1} value`} placeholder="value" value={row.value} onChange={(e) => update(index, { value: e.target.value })} />
          <button type="button" aria-label={`Remove matcher ${index + 1}`} onClick={() => onChange(rows.filter((_, i) => i !== index))} disabled={rows.length === 1}>
            Remove
          </button>
        </div>
      ))}
      <div>
        <button type="button" onClick={() => onChange([...rows, { name: '', op: '=', value: '' }])}>
          Add matcher
        </button>
      </div>
    </fieldset>
  );
}
