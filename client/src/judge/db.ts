// The judge's device storage (IndexedDB through `idb`): the last work list seen, every score as the judge
// left it, and the outbox of changes the server has not confirmed yet. Read first on every start, so a
// reload, a closed tab or a lost connection loses nothing.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { JudgeScore, JudgingList, ScoreStatus, ScoreValues } from '@pingxuan/shared';

/** One work's score as it is on this device. */
export type LocalScore = {
  contestId: string;
  entryId: string;
  values: ScoreValues;
  comment: string;
  /** What the judge wants: still a draft, or submitted (locked once the server confirms). */
  status: ScoreStatus;
  /** The server's copy as last confirmed; null while the server has none. */
  server: JudgeScore | null;
  /** The server refused a change because its copy had moved on: its copy, for the judge to choose. */
  conflict: { server: JudgeScore | null; code: string } | null;
  /** The last change the server refused for good (e.g. the work is no longer assigned); kept on the device. */
  rejected: { status: number; code: string; message: string } | null;
  changedAt: number;
};

export type SaveBody = { values: ScoreValues; comment: string; baseVersion: number };
export type SubmitBody = { baseVersion: number };

/** One change waiting for the server. */
export type OutboxOp = {
  id?: number;
  contestId: string;
  entryId: string;
  kind: 'save' | 'submit';
  /** Generated with the change and reused by every retry, so the server applies it at most once. */
  key: string;
  /** Null until the first send; then frozen, since a retry must repeat the very same request under its key. */
  body: SaveBody | SubmitBody | null;
  createdAt: number;
};

export type StoredList = { contestId: string; list: JudgingList; savedAt: number };

export interface JudgeSchema extends DBSchema {
  lists: { key: string; value: StoredList };
  scores: { key: [string, string]; value: LocalScore; indexes: { byContest: string } };
  outbox: { key: number; value: OutboxOp; indexes: { byContest: string } };
}

export type JudgeDb = IDBPDatabase<JudgeSchema>;

/** One database per signed-in user, so judges sharing a tablet never see or send each other's scores. */
export function openJudgeDb(userId: string, name = `pingxuan-judge-${userId}`): Promise<JudgeDb> {
  return openDB<JudgeSchema>(name, 1, {
    upgrade(db) {
      db.createObjectStore('lists', { keyPath: 'contestId' });
      const scores = db.createObjectStore('scores', { keyPath: ['contestId', 'entryId'] });
      scores.createIndex('byContest', 'contestId');
      const outbox = db.createObjectStore('outbox', { keyPath: 'id', autoIncrement: true });
      outbox.createIndex('byContest', 'contestId');
    },
  });
}

export async function loadList(db: JudgeDb, contestId: string): Promise<StoredList | undefined> {
  return db.get('lists', contestId);
}

export async function saveList(db: JudgeDb, list: JudgingList, now = Date.now()): Promise<void> {
  await db.put('lists', { contestId: list.contest.id, list, savedAt: now });
}
