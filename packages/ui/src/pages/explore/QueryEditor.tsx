/**
 * The query box: a textarea with a suggestion list under it (ARIA combobox:
 * arrows move, Enter/Tab accept, Escape closes), and Ctrl/Cmd+Enter or the
 * Run button to run.
 */
import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { applyCompletion, completionContext, rankCandidates, type CompletionContext, type QueryLanguage } from './autocomplete.ts';
import { createSuggestionSource } from './suggestion-sources.ts';

interface Props {
  language: QueryLanguage;
  value: string;
  onChange: (value: string) => void;
  onRun: () => void;
  placeholder: string;
}

interface Suggestions {
  context: CompletionContext;
  items: string[];
}

export function QueryEditor({ language, value, onChange, onRun, placeholder }: Props) {
  const id = useId();
  const box = useRef<HTMLTextAreaElement>(null);
  const source = useMemo(() => createSuggestionSource(language), [language]);
  const [suggestions, setSuggestions] = useState<Suggestions>();
  const [active, setActive] = useState(0);
  const pendingCursor = useRef<number | undefined>(undefined);
  const lookup = useRef(0);
  const listId = `${id}-suggestions`;
  const optionId = (index: number) => `${id}-option-${index}`;

  useLayoutEffect(() => {
    if (pendingCursor.current === undefined || !box.current) return;
    box.current.setSelectionRange(pendingCursor.current, pendingCursor.current);
    pendingCursor.current = undefined;
  });
  useEffect(() => setSuggestions(undefined), [language]);
  useEffect(() => {
    document.getElementById(optionId(active))?.scrollIntoView({ block: 'nearest' });
  }, [active, suggestions]);

  const suggest = (text: string, cursor: number) => {
    const context = completionContext(text, cursor, language);
    const ticket = ++lookup.current;
    if (!context || (context.kind === 'metric' && context.prefix === '')) return setSuggestions(undefined);
    void source(context).then((candidates) => {
      if (ticket !== lookup.current) return;
      const items = rankCandidates(candidates, context.prefix);
      setSuggestions(items.length > 0 ? { context, items } : undefined);
      setActive(0);
    });
  };
  const close = () => {
    lookup.current++;
    setSuggestions(undefined);
  };
  const accept = (item: string) => {
    const cursor = box.current?.selectionStart ?? value.length;
    const next = applyCompletion(value, cursor, suggestions!.context, item);
    pendingCursor.current = next.cursor;
    onChange(next.query);
    suggest(next.query, next.cursor);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      close();
      return onRun();
    }
    if (event.key === ' ' && event.ctrlKey) {
      event.preventDefault();
      return suggest(value, event.currentTarget.selectionStart);
    }
    if (!suggestions) return;
    const count = suggestions.items.length;
    const moves: Record<string, () => void> = {
      ArrowDown: () => setActive((active + 1) % count),
      ArrowUp: () => setActive((active - 1 + count) % count),
      Enter: () => accept(suggestions.items[active]),
      Tab: () => accept(suggestions.items[active]),
      Escape: close,
    };
    const move = moves[event.key];
    if (!move || event.shiftKey || event.altKey) return;
    event.preventDefault();
    move();
  };

  const label = language === 'promql' ? 'PromQL query' : 'LogQL query';
  return (
    <div className="query-editor">
      <div className="query-input">
        <textarea
          ref={box}
          role="combobox"
          aria-label={label}
          aria-autocomplete="list"
          aria-expanded={suggestions !== undefined}
          aria-controls={listId}
          aria-activedescendant={suggestions ? optionId(active) : undefined}
          spellCheck={false}
          autoComplete="off"
          rows={2}
          value={value}
          placeholder={placeholder}
          onChange={(e) => {
            onChange(e.target.value);
            suggest(e.target.value, e.target.selectionStart);
          }}
          onKeyDown={onKeyDown}
          onBlur={close}
        />
        {suggestions && (
          <ul className="suggestions" id={listId} role="listbox" aria-label={`${suggestions.context.kind} suggestions`}>
            {suggestions.items.map((item, index) => (
              <li
                key={item}
                id={optionId(index)}
                role="option"
                aria-selected={index === active}
                // mousedown, not click: the box must keep focus (blur closes the list).
                onMouseDown={(e) => {
                  e.preventDefault();
                  accept(item);
                }}
              >
                {item}
              </li>
            ))}
          </ul>
        )}
      </div>
      <button type="button" className="primary" onClick={onRun} title="Run (Ctrl+Enter)">
        Run
      </button>
    </div>
  );
}
