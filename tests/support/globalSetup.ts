// Vitest global setup of the "api" project: starts the test MongoDB (see ./mongo.ts) once for the run
// and hands its base URI to the test files, which read it with `inject('mongoUri')`.
import type { TestProject } from 'vitest/node';
import { startTestMongo } from './mongo.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URI ending with `/`: append a database name. */
    mongoUri: string;
    /** Which MongoDB: 'uri' | 'memory-server' | 'wire'. */
    mongoKind: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const mongo = await startTestMongo();
  project.provide('mongoUri', mongo.uri);
  project.provide('mongoKind', mongo.kind);
  return async () => {
    await mongo.stop();
  };
}
