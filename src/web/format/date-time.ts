import type { Language } from '../i18n/dictionary.ts';

const shanghai = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/**
 * An ISO instant shown in Beijing time: "2026年3月20日 14:05:01" (zh) or "2026-03-20 14:05:01"
 * (en). Returns the input unchanged when it is not a valid date, so a bad value stays visible.
 */
export function formatShanghaiDateTime(iso: string, language: Language): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const parts: Record<string, string> = {};
  for (const part of shanghai.formatToParts(date)) parts[part.type] = part.value;
  const year = parts['year'] ?? '';
  const month = parts['month'] ?? '';
  const day = parts['day'] ?? '';
  const time = `${parts['hour'] ?? ''}:${parts['minute'] ?? ''}:${parts['second'] ?? ''}`;
  if (language === 'zh') return `${year}年${month}月${day}日 ${time}`;
  return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')} ${time}`;
}
