// Lists the declaration files each entry point's types reach (following relative imports in
// dist/esm/**/*.d.ts) and fails when one is not in .ci/declaration-budget.json: a public signature
// that names an internal class pulls its whole file, and what it imports, into users' types.
// `node .ci/declarations.js --write` rewrites the budget from the current build.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = resolve(repo, 'dist/esm');
const budgetPath = resolve(repo, '.ci/declaration-budget.json');
const ENTRIES = ['index', 'testing/index', 'terminus/index', 'redis/index'];

/** The declaration files `file` imports (relative imports only: packages are not ours). */
function importsOf(file) {
  const source = readFileSync(file, 'utf8');
  const specifiers = source.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g);
  return [...specifiers]
    .map(([, specifier]) => resolve(dirname(file), specifier).replace(/\.js$/, '.d.ts'))
    .filter((path) => existsSync(path));
}

/** Every declaration file reachable from an entry point, relative to dist/esm, sorted. */
function reachable(entry) {
  const seen = new Set();
  const pending = [resolve(dist, `${entry}.d.ts`)];
  while (pending.length > 0) {
    const file = pending.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    pending.push(...importsOf(file));
  }
  return [...seen].map((file) => relative(dist, file)).sort();
}

const graph = Object.fromEntries(ENTRIES.map((entry) => [entry, reachable(entry)]));
if (process.argv.includes('--write')) {
  writeFileSync(budgetPath, `${JSON.stringify(graph, null, 2)}\n`);
  console.log(`wrote ${relative(repo, budgetPath)}`);
  process.exit(0);
}

const budget = JSON.parse(readFileSync(budgetPath, 'utf8'));
let failed = false;
for (const [entry, files] of Object.entries(graph)) {
  const allowed = new Set(budget[entry] ?? []);
  const extra = files.filter((file) => !allowed.has(file));
  console.log(`${entry}: ${files.length} declaration files${extra.length ? ', over budget:' : ''}`);
  for (const file of extra) console.log(`  + ${file}`);
  if (extra.length > 0) failed = true;
}
if (failed) {
  console.error(
    'Declaration files over budget: an internal type reached a public signature. Mark it ' +
      '@internal (stripped) or keep it out of public signatures; if it is public on purpose, ' +
      'run `node .ci/declarations.js --write` and commit the budget.',
  );
  process.exit(1);
}
