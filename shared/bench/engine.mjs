// Engine benchmark (issue 2): prints figures only, asserts nothing about time.
// Run with `npm run bench:engine` (builds shared first). Targets: < 1 s and < 0.5 s on one core.
import { computeResults } from '../dist/index.js';

// Seeded generator (mulberry32) so every run times the same data.
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeInput({ entryCount, judgeCount, criterionCount, seed }) {
  const rand = mulberry32(seed);
  const criteria = Array.from({ length: criterionCount }, (_, k) => ({
    id: `c${k}`,
    weight: 1 + (k % 3),
    maxScore: 10,
  }));
  const entries = Array.from({ length: entryCount }, (_, i) => ({
    id: `e${String(i).padStart(6, '0')}`,
    category: `k${i % 4}`,
  }));
  const scores = [];
  for (const entry of entries) {
    const quality = rand();
    for (let j = 0; j < judgeCount; j++) {
      const values = {};
      for (const c of criteria)
        values[c.id] = Math.max(0, Math.min(10, Math.round(quality * 10 + (rand() - 0.5) * 4)));
      scores.push({ entryId: entry.id, judgeId: `j${j}`, criteria: values });
    }
  }
  return { rubric: { criteria }, entries, scores };
}

function time(label, input, runs) {
  computeResults(input); // warm-up
  const times = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    computeResults(input);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(
    `${label}: median ${median.toFixed(0)} ms, min ${times[0].toFixed(0)} ms, max ${times.at(-1).toFixed(0)} ms (${runs} runs)`,
  );
}

const tiers = [
  { id: 'first', quota: 70 },
  { id: 'second', quota: 127 },
];

const large = makeInput({ entryCount: 100_000, judgeCount: 5, criterionCount: 8, seed: 1 });
time(
  '100,000 entries x 5 judges x 8 criteria, trimmedMean + zscore, no bootstrap',
  {
    ...large,
    aggregation: { method: 'trimmedMean', trim: 1, normalization: 'zscore', minJudges: 3 },
    tiers: [
      { id: 'first', share: 0.1 },
      { id: 'second', share: 0.2 },
    ],
    tieBreak: ['c0'],
  },
  5,
);

const seedScenario = makeInput({ entryCount: 497, judgeCount: 5, criterionCount: 8, seed: 2 });
time(
  '497 entries x 5 judges x 8 criteria, trimmedMean + zscore, 1,000 bootstrap samples',
  {
    ...seedScenario,
    aggregation: { method: 'trimmedMean', trim: 1, normalization: 'zscore', minJudges: 3 },
    tiers,
    tieBreak: ['c0'],
    bootstrap: { samples: 1000, seed: 42 },
  },
  10,
);

// Skills contest (issue 7): 6 judged criteria plus 2 measured ones (time and a pass/fail check).
const judgedPart = makeInput({ entryCount: 100_000, judgeCount: 5, criterionCount: 6, seed: 3 });
const rand = mulberry32(4);
time(
  '100,000 entries x 5 judges x 6 criteria + 2 measurement criteria, trimmedMean + zscore, no bootstrap',
  {
    ...judgedPart,
    rubric: {
      criteria: [
        ...judgedPart.rubric.criteria,
        {
          id: 'time',
          weight: 2,
          maxScore: 20,
          kind: 'measurement',
          rule: { type: 'linear', best: 600, worst: 1200 },
        },
        { id: 'check', weight: 1, maxScore: 10, kind: 'measurement', rule: { type: 'passFail' } },
      ],
    },
    measurements: judgedPart.entries.map((e) => ({
      entryId: e.id,
      criteria: { time: Math.round(500 + rand() * 800), check: rand() < 0.9 ? 1 : 0 },
    })),
    aggregation: { method: 'trimmedMean', trim: 1, normalization: 'zscore', minJudges: 3 },
    tiers: [
      { id: 'first', share: 0.1 },
      { id: 'second', share: 0.2 },
    ],
    tieBreak: ['time'],
  },
  5,
);
