/** The "Acting as" field: the name sent as `by` with every incident action. */
export function ActingAs({ value, onChange }: { value: string; onChange: (name: string) => void }) {
  return (
    <label className="oncall-acting-as">
      Acting as
      <input type="text" value={value} placeholder="your name or id" onChange={(e) => onChange(e.target.value)} autoComplete="name" />
    </label>
  );
}
