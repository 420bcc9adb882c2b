// Scoring engine (issue 2): pure functions, no I/O, same numbers on server, client and scripts.
export { ENGINE_VERSION } from './version.js';
export { computeResults, judgeTotal, BOUNDARY_CONFIDENCE } from './compute.js';
export { ScoringInputError, type ScoringProblem } from './errors.js';
export { SCORE_EPSILON } from './stats.js';
export {
  CRITERION_KINDS,
  CriterionKindSchema,
  MeasurementBandSchema,
  MeasurementRuleSchema,
  measurementPoints,
  measurementRuleProblems,
  measurementValueProblem,
  refineCriterionKind,
  type CriterionKind,
  type MeasurementBand,
  type MeasurementRule,
} from './measurement.js';
export {
  ResultsInputSchema,
  ResultsOutputSchema,
  RESULT_FLAGS,
  type ResultsInput,
  type ParsedResultsInput,
  type ResultsOutput,
  type ResultFlag,
  type EntryResult,
  type TierResult,
  type JudgeStatistics,
  type PanelReliability,
} from './schemas.js';
