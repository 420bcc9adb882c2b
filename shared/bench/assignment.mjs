// Assignment planner benchmark: prints figures only, asserts nothing about time.
// Run with `npm run build -w shared && node shared/bench/assignment.mjs`. Target: well under 5 s.
import { planAssignment } from '../dist/index.js';

// Seeded generator (mulberry32) so every run plans the same contest.
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeInput({ entryCount, judgeCount, panelCount, scope, seed }) {
  const rand = mulberry32(seed);
  const panels = Array.from({ length: panelCount }, (_, p) => ({ id: `p${p}`, category: `k${p}` }));
  const judges = Array.from({ length: judgeCount }, (_, j) => ({
    id: `j${String(j).padStart(4, '0')}`,
    school: `school-${Math.floor(rand() * 20)}`,
    panelId: `p${j % panelCount}`,
    conflictSchools: rand() < 0.2 ? [`school-${Math.floor(rand() * 50)}`] : [],
    conflictEntryCodes: rand() < 0.1 ? [`E${Math.floor(rand() * entryCount)}`] : [],
  }));
  const entries = Array.from({ length: entryCount }, (_, i) => ({
    id: `e${String(i).padStart(6, '0')}`,
    code: `E${i}`,
    school: `school-${Math.floor(rand() * 50)}`,
    category: `k${i % panelCount}`,
  }));
  return { scope, judgesPerEntry: 5, seed: 7, entries, judges, panels };
}

function time(label, input, runs) {
  const times = [];
  let plan;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    plan = planAssignment(input);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  const spread = Object.entries(plan.spread)
    .map(([g, s]) => `${g}=${s}`)
    .join(' ');
  console.log(
    `${label}: median ${median.toFixed(0)} ms, min ${times[0].toFixed(0)} ms, max ${times.at(-1).toFixed(0)} ms (${runs} runs); ` +
      `${plan.assignments.length} assignments, ${plan.problems.length} problems, spread ${spread}`,
  );
}

const big = { entryCount: 100_000, judgeCount: 300, panelCount: 3, seed: 1 };
time(
  '100,000 entries x 5 judges, 300 judges in 3 panels (panel scope)',
  makeInput({ ...big, scope: 'panel' }),
  3,
);
time('100,000 entries x 5 judges, 300 judges (pool scope)', makeInput({ ...big, scope: 'pool' }), 3);
time(
  '497 entries x 5 judges, 15 judges in 3 panels (panel scope)',
  makeInput({ entryCount: 497, judgeCount: 15, panelCount: 3, scope: 'panel', seed: 2 }),
  10,
);
