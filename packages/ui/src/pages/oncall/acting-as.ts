/**
 * Who the viewer is when they act on an incident, remembered in the browser
 * so each action's `by` names a person without asking every time.
 */
import { useState } from 'react';

const KEY = 'vigil.oncall.actingAs';

function stored(): string {
  try {
    return localStorage.getItem(KEY) ?? '';
  } catch {
    return ''; // storage can be disabled; the name is then just not remembered
  }
}

export function useActingAs(): [string, (name: string) => void] {
  const [name, setName] = useState(stored);
  const update = (next: string) => {
    setName(next);
    try {
      localStorage.setItem(KEY, next);
    } catch {
      // as above
    }
  };
  return [name, update];
}
