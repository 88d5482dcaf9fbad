/**
 * The pieces of a list page's filter bar: a plain GET form, so filters live in the URL (shareable,
 * back-button friendly) and work before any script has loaded.
 */
export function FilterSelect({ name, label, value, options, testId }: { name: string; label: string; value: string; options: readonly { value: string; label: string }[]; testId?: string }) {
  return (
    <label className="space-y-1">
      <span className="block text-stone-600">{label}</span>
      <select name={name} defaultValue={value} className="rounded-md border border-stone-300 px-2 py-1.5" data-testid={testId}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

export function FilterSubmit({ label, testId }: { label: string; testId?: string }) {
  return (
    <button type="submit" className="rounded-md bg-brand-700 px-3 py-1.5 text-white" data-testid={testId}>
      {label}
    </button>
  );
}
