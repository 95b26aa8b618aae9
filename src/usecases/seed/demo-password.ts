/** The demo password of every demo user; printed at start so a trainer can hand it out. */
export const DEMO_PASSWORD = 'Tongchou-Demo-2026';
