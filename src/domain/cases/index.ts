export * from './application.ts';
export * from './determination.ts';
export * from './determination-grounds.ts';
