// The judge's tablet must load its route in under 200 KB of compressed JavaScript (issue 5). Follows the
// built client's manifest (client/dist/.vite/manifest.json) from the entry through each area's chunk and
// everything they import, gzips each file as the server sends it, prints the figures, and holds the judge
// route to its budget. A size, not a time: the same build gives the same figure on any machine.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dist = path.join(root, 'client', 'dist');
const manifestPath = path.join(dist, '.vite', 'manifest.json');
const JUDGE_BUDGET = 200 * 1000; // bytes, as Vite reports kB

type Chunk = { file: string; src?: string; isEntry?: boolean; imports?: string[]; css?: string[] };

/** The JavaScript files a page loads before it can show `area`: the entry, the area's chunk, their static imports. */
function routeFiles(manifest: Record<string, Chunk>, keys: string[]): string[] {
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    const chunk = manifest[key];
    if (!chunk) throw new Error(`manifest has no chunk ${key}`);
    seen.add(key);
    for (const k of chunk.imports ?? []) visit(k);
  };
  keys.forEach(visit);
  return [...seen].map((k) => manifest[k]!.file);
}

const gzipped = (file: string) => gzipSync(readFileSync(path.join(dist, file))).length;
const kb = (n: number) => `${(n / 1000).toFixed(1)} kB`;

describe('compressed JavaScript per route of the built client', () => {
  if (!existsSync(manifestPath))
    throw new Error(`${manifestPath} is missing: build the client first (npm run build -w client)`);
  const manifest: Record<string, Chunk> = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const entry = Object.keys(manifest).find((k) => manifest[k]!.isEntry)!;
  const areas: Record<string, string> = {
    judge: 'src/judge/JudgeArea.tsx',
    organize: 'src/organize/OrganizeArea.tsx',
    public: 'src/public/PublicArea.tsx',
    recorder: 'src/record/RecordArea.tsx',
  };

  it('keeps the judge route under 200 KB gzip, and prints every route', () => {
    expect(entry).toBeDefined();
    const sizes: Record<string, number> = {};
    for (const [name, src] of Object.entries(areas)) {
      const files = routeFiles(manifest, [entry, src]);
      sizes[name] = files.reduce((n, f) => n + gzipped(f), 0);
    }
    console.log(
      'compressed JavaScript per route (gzip): ' +
        Object.entries(sizes)
          .map(([name, n]) => `${name} ${kb(n)}`)
          .join(', '),
    );
    expect(sizes.judge).toBeLessThan(JUDGE_BUDGET);
    // The organizer console is its own chunk: the judge's tablet never downloads it.
    expect(routeFiles(manifest, [entry, areas.judge!])).not.toContain(manifest[areas.organize!]!.file);
  });
});
