import { useState } from 'react';

/**
 * One budget action at a time: `busy` while it runs, its error kept for display, and `onDone`
 * (reload, leave the editor…) only after it succeeded.
 */
export function useBudgetAction(onDone: () => void) {
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
