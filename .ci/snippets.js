// Compiles every TypeScript snippet (```ts blocks) of README.md and docs/*.md against the built
// package, as a user who pastes it would: each snippet is its own module under .ci/out/snippets/,
// importing `nestjs-hamsa` by name (resolved through the package's own `exports`, so `dist/`).
// A snippet that does not type-check fails CI. Snippets fenced ```ts runnable are then also run,
// as jest test files (against the fake Hamsa server they start), and fail CI if they throw.
// Run after `npm run build`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(repo, '.ci/out/snippets');
const pages = [
  'README.md',
  ...readdirSync(resolve(repo, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

rmSync(out, { recursive: true, force: true });
mkdirSync(resolve(out, 'run'), { recursive: true });
const written = [];
const runnables = [];
for (const page of pages) {
  const text = readFileSync(resolve(repo, page), 'utf8');
  const blocks = [...text.matchAll(/^```(?:ts|typescript)( runnable)?\n([\s\S]*?)^```$/gm)];
  blocks.forEach(([, runnable, code], index) => {
    const line = text.slice(0, text.indexOf(code)).split('\n').length;
    const file = `${basename(page, '.md')}-${index + 1}.ts`;
    // `export {}` makes every snippet a module of its own, so their names never clash.
    writeFileSync(resolve(out, file), `// ${page}:${line}\n${code}\nexport {};\n`);
    written.push(file);
    if (runnable) {
      const spec = `// ${page}:${line}\n${code}\ntest('${file} runs as written', () => undefined);\n`;
      writeFileSync(resolve(out, 'run', file.replace(/\.ts$/, '.spec.ts')), spec);
      runnables.push(file);
    }
  });
}
writeFileSync(
  resolve(out, 'tsconfig.json'),
  JSON.stringify({
    extends: '../../../tsconfig.json',
    compilerOptions: {
      noEmit: true,
      noUnusedLocals: false,
      noUnusedParameters: false,
      types: ['node', 'jest'],
      // The built package, as a user gets it: not the sources the repository's own paths point at.
      paths: {},
    },
    include: ['*.ts'],
    exclude: ['run'],
  }),
);
console.log(`${written.length} snippets from ${pages.length} pages`);
execFileSync(resolve(repo, 'node_modules/.bin/tsc'), ['-p', resolve(out, 'tsconfig.json')], {
  stdio: 'inherit',
});
console.log('every snippet type-checks');

console.log(`running ${runnables.length} runnable snippets: ${runnables.join(', ')}`);
execFileSync(
  process.execPath,
  [
    '--experimental-vm-modules',
    '--disable-warning=ExperimentalWarning',
    resolve(repo, 'node_modules/jest/bin/jest.js'),
    '--roots',
    resolve(out, 'run'),
    // A snippet that throws halfway leaves its fake server open: end jest anyway.
    '--forceExit',
  ],
  { cwd: repo, stdio: 'inherit' },
);
