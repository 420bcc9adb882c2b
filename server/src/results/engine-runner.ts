import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { computeResults, type MeasurementRule, type ResultsInput, type ResultsOutput } from '@pingxuan/shared';

/** A rubric criterion as the engine takes it; measurement criteria carry their rule. */
export type EngineCriterion = { id: string; weight: number; maxScore: number; kind?: 'measurement'; rule?: MeasurementRule };

/**
 * Runs the scoring engine off the request thread. Scores travel as typed arrays (moved, not copied) and
 * are turned back into the engine's input inside the worker, so a 100,000-entry contest costs the
 * request thread only the copy of the answer.
 */
type Packed = {
  criteria: EngineCriterion[];
  /** Indices into `criteria`: the judgement ones (columns of `values`), the measurement ones (of `measured`). */
  judged: number[];
  measures: number[];
  entryIds: string[];
  categories: (string | null)[];
  judgeIds: string[];
  scoreEntry: Int32Array;
  scoreJudge: Int32Array;
  /** scores × judgement criteria, NaN where a criterion is missing. */
  values: Float64Array;
  /** entries × measurement criteria, NaN where no value counts yet. */
  measured: Float64Array;
  rest: Omit<ResultsInput, 'rubric' | 'entries' | 'scores' | 'measurements'>;
};

export class ScoreTable {
  private entryIndex = new Map<string, number>();
  private judgeIndex = new Map<string, number>();
  readonly entryIds: string[] = [];
  readonly categories: (string | null)[] = [];
  readonly judgeIds: string[] = [];
  private scoreEntry: number[] = [];
  private scoreJudge: number[] = [];
  private values: number[] = [];
  private measured: number[] = [];
  private readonly judged: number[] = [];
  private readonly measures: number[] = [];
  private readonly measureIndex = new Map<string, number>();

  constructor(readonly criteria: EngineCriterion[]) {
    criteria.forEach((c, i) => {
      if (c.kind === 'measurement') {
        this.measureIndex.set(c.id, this.measures.length);
        this.measures.push(i);
      } else this.judged.push(i);
    });
  }

  /** True when the rubric has measurement criteria, whose values come from addMeasurement. */
  get measuring() {
    return this.measures.length > 0;
  }

  addEntry(id: string, category: string | null) {
    if (this.entryIndex.has(id)) return;
    this.entryIndex.set(id, this.entryIds.length);
    this.entryIds.push(id);
    this.categories.push(category);
    for (let k = 0; k < this.measures.length; k++) this.measured.push(NaN);
  }

  /** The counted value of a measurement criterion; values of entries not added, or of other criteria, are left out. */
  addMeasurement(entryId: string, criterionId: string, value: number) {
    const e = this.entryIndex.get(entryId);
    const k = this.measureIndex.get(criterionId);
    if (e === undefined || k === undefined) return false;
    this.measured[e * this.measures.length + k] = value;
    return true;
  }

  hasEntry(id: string) {
    return this.entryIndex.has(id);
  }

  /** Scores of entries not added (withdrawn, other round) are left out. */
  addScore(entryId: string, judgeId: string, values: Record<string, unknown>) {
    const e = this.entryIndex.get(entryId);
    if (e === undefined) return false;
    let j = this.judgeIndex.get(judgeId);
    if (j === undefined) {
      j = this.judgeIds.length;
      this.judgeIndex.set(judgeId, j);
      this.judgeIds.push(judgeId);
    }
    this.scoreEntry.push(e);
    this.scoreJudge.push(j);
    // Judges score judgement criteria only; anything stored for a measurement criterion is not theirs to give.
    for (const i of this.judged) {
      const v = values[this.criteria[i]!.id];
      this.values.push(typeof v === 'number' ? v : NaN);
    }
    return true;
  }

  get scoreCount() {
    return this.scoreEntry.length;
  }

  pack(rest: Packed['rest']): Packed {
    return {
      criteria: this.criteria,
      judged: this.judged,
      measures: this.measures,
      entryIds: this.entryIds,
      categories: this.categories,
      judgeIds: this.judgeIds,
      scoreEntry: Int32Array.from(this.scoreEntry),
      scoreJudge: Int32Array.from(this.scoreJudge),
      values: Float64Array.from(this.values),
      measured: Float64Array.from(this.measured),
      rest,
    };
  }
}

/** Rebuilds the engine's input; the same function runs in the worker (as source text) and inline. */
function unpack(p: Packed): ResultsInput {
  const c = p.judged.length;
  const scores = new Array(p.scoreEntry.length);
  for (let i = 0; i < p.scoreEntry.length; i++) {
    const criteria: Record<string, number> = {};
    for (let k = 0; k < c; k++) {
      const v = p.values[i * c + k]!;
      if (!Number.isNaN(v)) criteria[p.criteria[p.judged[k]!]!.id] = v;
    }
    scores[i] = { entryId: p.entryIds[p.scoreEntry[i]!]!, judgeId: p.judgeIds[p.scoreJudge[i]!]!, criteria };
  }
  // One record per entry with at least one counted value; a value missing leaves the entry incomplete.
  const m = p.measures.length;
  const measurements = [];
  for (let e = 0; m > 0 && e < p.entryIds.length; e++) {
    const criteria: Record<string, number> = {};
    let any = false;
    for (let k = 0; k < m; k++) {
      const v = p.measured[e * m + k]!;
      if (!Number.isNaN(v)) {
        criteria[p.criteria[p.measures[k]!]!.id] = v;
        any = true;
      }
    }
    if (any) measurements.push({ entryId: p.entryIds[e]!, criteria });
  }
  return {
    ...p.rest,
    rubric: { criteria: p.criteria },
    entries: p.entryIds.map((id, i) => ({ id, category: p.categories[i] ?? null })),
    scores,
    measurements,
  };
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const unpack = ${unpack.toString()};
const engine = import(workerData.engineUrl);
parentPort.on('message', async ({ id, packed }) => {
  try {
    const { computeResults } = await engine;
    parentPort.postMessage({ id, output: computeResults(unpack(packed)) });
  } catch (err) {
    parentPort.postMessage({ id, error: { name: err && err.name, message: String(err && err.message), problems: err && err.problems } });
  }
});
`;

/** Below this many scores the engine answers in a few milliseconds; a worker round trip would cost more. */
const INLINE_SCORES = 2_000;

let worker: Worker | null = null;
let nextId = 0;
const pending = new Map<number, { resolve: (o: ResultsOutput) => void; reject: (e: Error) => void }>();

function engineWorker(): Worker {
  if (worker) return worker;
  const engineUrl = pathToFileURL(createRequire(import.meta.url).resolve('@pingxuan/shared')).href;
  const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { engineUrl } });
  w.unref(); // an idle engine must not keep the process alive
  w.on('message', (m: { id: number; output?: ResultsOutput; error?: { name: string; message: string; problems?: unknown } }) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.output) p.resolve(m.output);
    else p.reject(Object.assign(new Error(m.error?.message ?? 'engine failed'), { name: m.error?.name ?? 'Error', problems: m.error?.problems }));
  });
  const fail = (err: Error) => {
    worker = null;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  w.on('error', fail);
  w.on('exit', (code) => fail(new Error(`results engine worker stopped (exit ${code})`)));
  worker = w;
  return w;
}

export async function runEngine(table: ScoreTable, rest: Packed['rest']): Promise<ResultsOutput> {
  const packed = table.pack(rest);
  if (table.scoreCount < INLINE_SCORES) return computeResults(unpack(packed));
  const w = engineWorker();
  const id = nextId++;
  return new Promise<ResultsOutput>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    w.postMessage({ id, packed }, [
      packed.scoreEntry.buffer as ArrayBuffer,
      packed.scoreJudge.buffer as ArrayBuffer,
      packed.values.buffer as ArrayBuffer,
      packed.measured.buffer as ArrayBuffer,
    ]);
  });
}
