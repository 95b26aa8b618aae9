import { useState } from 'react';

/**
 * One action of a page at a time (a budget's approval, a payroll run's…): `busy` while it runs,
 * its error kept for display, and `onDone` (reload, leave the editor…) only after it succeeded.
 */
export function useAction(onDone: () => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const act = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, act };
}
