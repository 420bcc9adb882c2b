// Advancement planner benchmark: prints figures only, asserts nothing about time.
// Run with `npm run build -w shared && node shared/bench/advancement.mjs`.
import { planAdvancement } from '../dist/index.js';

// Seeded generator (mulberry32) so every run plans the same round.
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Scores on a 0.5 grid so ties at the cuts are common; ranks as the engine gives them.
function makeEntries(count, seed) {
  const rand = mulberry32(seed);
  const rows = Array.from({ length: count }, (_, i) => ({
    id: `e${String(i).padStart(6, '0')}`,
    score: Math.round(rand() * 200) / 2,
    school: `school-${Math.floor(rand() * 400)}`,
    category: `k${i % 6}`,
    incomplete: rand() < 0.01,
  }));
  const ranked = rows.filter((r) => !r.incomplete).sort((a, b) => b.score - a.score);
  ranked.forEach((r, i) => (r.rank = i > 0 && ranked[i - 1].score === r.score ? ranked[i - 1].rank : i + 1));
  return rows.map((r) => ({ ...r, rank: r.rank ?? null }));
}

function time(label, input, runs) {
  planAdvancement(input); // warm-up
  const times = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    planAdvancement(input);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  console.log(
    `${label}: median ${times[Math.floor(times.length / 2)].toFixed(0)} ms, min ${times[0].toFixed(0)} ms (${runs} runs)`,
  );
}

const entries = makeEntries(100_000, 1);
time(
  '100,000 entries, 400 schools: best 3 per school with score >= 60, then 30% per category, then top 500',
  {
    entries,
    rules: { minScore: 60, perSchool: { top: 3 }, perCategory: { share: 0.3 }, overall: { top: 500 } },
  },
  5,
);
const district = makeEntries(497, 2);
time('497 entries: top 70 overall', { entries: district, rules: { overall: { top: 70 } } }, 20);
