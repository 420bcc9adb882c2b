// Judge assignment planner: pure, deterministic for a seed, every assignment explained.
export { planAssignment } from './plan.js';
export { planExtraJudges } from './extra.js';
export { replaceJudge } from './replace.js';
export { describeReason, type ReasonLanguage } from './describe.js';
export { AssignmentInputError, type AssignmentInputProblem } from './errors.js';
export * from './schemas.js';
