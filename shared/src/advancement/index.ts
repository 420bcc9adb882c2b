// Advancement from one round to the next (issue 7): pure, deterministic, every entry left out explained.
export { planAdvancement, AdvancementInputError, type AdvancementInputProblem } from './plan.js';
export { describeAdvancementReason, type AdvancementLanguage } from './describe.js';
export * from './schemas.js';
