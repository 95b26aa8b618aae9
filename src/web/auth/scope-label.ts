import { roleLabels } from '../../identity/roles.ts';
import type { SessionUser } from '../api/types.ts';
import { type Language, translate } from '../i18n/dictionary.ts';

/**
 * "市级经办 · 杭州市 (330100)": role label, then the scope by name and code. In English the
 * place name is taken from `englishNames` (code → nameEn, from /api/v1/regions) when known.
 */
export function scopeLabel(
  user: Pick<SessionUser, 'role' | 'scope'>,
  language: Language,
  englishNames: ReadonlyMap<string, string> = new Map(),
): string {
  return `${roleLabels[user.role][language]} · ${scopeText(user.scope, language, englishNames)}`;
}

export function scopeText(
  scope: SessionUser['scope'],
  language: Language,
  englishNames: ReadonlyMap<string, string> = new Map(),
): string {
  const kindLabel = translate(language, `scope.${scope.kind}`);
  const englishName = scope.code === null ? undefined : englishNames.get(scope.code);
  const name = (language === 'en' ? englishName : undefined) ?? scope.name ?? kindLabel;
  if (scope.kind === 'self') return name;
  return scope.code === null ? name : `${name} (${scope.code})`;
}
