// Public entry point of @pingxuan/shared: schemas (one source of truth for types) and the scoring engine.
export * from './schemas/index.js';
export * from './engine/index.js';
export * from './conflicts.js';
export * from './assignment/index.js';
export * from './feedback.js';
export * from './advancement/index.js';
