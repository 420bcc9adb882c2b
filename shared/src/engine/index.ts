// Scoring engine (issue 2). Filled in by the engine work.
export const ENGINE_VERSION = '0.0.0';
