import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import type { AppConfig } from './config.js';
import type { Models } from './models.js';
import type { AuditService } from './audit/audit.service.js';

/** What every feature's routes and services are built from. */
export type AppContext = {
  config: AppConfig;
  conn: Connection;
  models: Models;
  audit: AuditService;
  logger: Logger;
  now: () => Date;
};
