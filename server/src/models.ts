import type { Connection } from 'mongoose';
import { accountModels } from './accounts/accounts.model.js';
import { auditModels } from './audit/audit.model.js';

/** Every model bound to one connection, so an app (or a test) owns its database. */
export function createModels(conn: Connection) {
  return {
    ...accountModels(conn),
    ...auditModels(conn),
  };
}
export type Models = ReturnType<typeof createModels>;
