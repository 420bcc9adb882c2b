export * from './common.js';
export * from './auth.js';
export * from './contest.js';
export * from './rubric.js';
export * from './entry.js';
export * from './judge.js';
export * from './score.js';
export * from './results.js';
