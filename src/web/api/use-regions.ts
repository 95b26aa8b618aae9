import { useEffect, useState } from 'react';
import { api, describeError } from './client.ts';
import type { Regions } from './types.ts';

type RegionsState =
  | { status: 'idle' | 'loading' }
  | { status: 'ready'; regions: Regions }
  | { status: 'failed'; message: string };

// One request per signed-in user: the answer is scoped by the server to that user.
let cache: { userId: string; promise: Promise<Regions> } | null = null;

function load(userId: string): Promise<Regions> {
  if (cache === null || cache.userId !== userId) {
    const promise = api.regions();
    cache = { userId, promise };
    promise.catch(() => {
      if (cache?.promise === promise) cache = null;
    });
  }
  return cache.promise;
}

/** The regions the signed-in user may see; `userId` null (or no permission) loads nothing. */
export function useRegions(userId: string | null): RegionsState {
  const [state, setState] = useState<RegionsState>({ status: 'idle' });
  useEffect(() => {
    if (userId === null) {
      setState({ status: 'idle' });
      return;
    }
    let live = true;
    setState({ status: 'loading' });
    load(userId).then(
      (regions) => {
        if (live) setState({ status: 'ready', regions });
      },
      (error: unknown) => {
        if (live) setState({ status: 'failed', message: describeError(error) });
      },
    );
    return () => {
      live = false;
    };
  }, [userId]);
  return state;
}

export function englishNamesOf(regions: Regions | null): ReadonlyMap<string, string> {
  const names = new Map<string, string>();
  if (regions === null) return names;
  names.set(regions.province.code, regions.province.nameEn);
  for (const city of regions.cities) names.set(city.code, city.nameEn);
  return names;
}
