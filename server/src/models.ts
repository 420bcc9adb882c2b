import type { Connection } from 'mongoose';
import { accountModels } from './accounts/accounts.model.js';
import { auditModels } from './audit/audit.model.js';
import { contestModels } from './contests/contests.model.js';
import { entryModels } from './entries/entries.model.js';
import { judgeModels } from './judges/judges.model.js';
import { scoreModels } from './scores/scores.model.js';
import { resultModels } from './results/results.model.js';
import { assignmentModels } from './assignments/assignments.model.js';
import { measurementModels } from './measurements/measurements.model.js';
import { advancementModels } from './advancement/advancement.model.js';

/** Every model bound to one connection, so an app (or a test) owns its database. */
export function createModels(conn: Connection) {
  return {
    ...accountModels(conn),
    ...auditModels(conn),
    ...contestModels(conn),
    ...entryModels(conn),
    ...judgeModels(conn),
    ...scoreModels(conn),
    ...resultModels(conn),
    ...assignmentModels(conn),
    ...measurementModels(conn),
    ...advancementModels(conn),
  };
}
export type Models = ReturnType<typeof createModels>;
