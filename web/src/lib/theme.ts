import { useCallback, useEffect, useState } from 'react';

export type ThemeChoice = 'system' | 'light' | 'dark';
const KEY = 'pulseboard.theme';

const stored = (): ThemeChoice => {
  const value = localStorage.getItem(KEY);
  return value === 'light' || value === 'dark' ? value : 'system';
};

/**
 * Applies the theme before the first paint: `data-theme` on <html> when the person chose one,
 * nothing when the OS decides (the stylesheet follows `prefers-color-scheme`).
 */
export function applyTheme(choice: ThemeChoice = stored()) {
  if (choice === 'system') document.documentElement.removeAttribute('data-theme');
  else document.documentElement.setAttribute('data-theme', choice);
}

const systemTheme = () => (matchMedia('(prefers-color-scheme: light)').matches ? 'light' : 'dark');

/** The choice (system → light → dark), kept per browser and in step across tabs. */
export function useTheme() {
  const [choice, setChoice] = useState<ThemeChoice>(stored);
  const [system, setSystem] = useState<'light' | 'dark'>(systemTheme);
  useEffect(() => {
    const media = matchMedia('(prefers-color-scheme: light)');
    const onMedia = () => setSystem(systemTheme());
    const onStorage = (event: StorageEvent) => event.key === KEY && setChoice(stored());
    media.addEventListener('change', onMedia);
    addEventListener('storage', onStorage);
    return () => {
      media.removeEventListener('change', onMedia);
      removeEventListener('storage', onStorage);
    };
  }, []);
  useEffect(() => applyTheme(choice), [choice]);
  const cycle = useCallback(() => {
    setChoice((current) => {
      const next: ThemeChoice = current === 'system' ? 'light' : current === 'light' ? 'dark' : 'system';
      if (next === 'system') localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, next);
      return next;
    });
  }, []);
  return { choice, effective: choice === 'system' ? system : choice, cycle };
}
