import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const LIB = join(import.meta.dirname, '..', 'lib');
const NETWORK = /^(axios|@nestjs\/axios|node:https?|node:net|ws)$/;
const ALLOWED = /^(gateway|testing|bin)\//;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** `import … from 'x'` statements that bring values (not only types) from a network library. */
function networkValueImports(source: string): string[] {
  const imports = source.matchAll(/^import\s+(type\s+)?([^;]*?)\s+from\s+'([^']+)';/gms);
  return [...imports]
    .filter(([, typeOnly, clause, from]) => {
      if (!NETWORK.test(from!) || typeOnly) return false;
      const names = clause!
        .replace(/[{}]/g, '')
        .split(',')
        .map((name) => name.trim());
      return names.some((name) => name && !name.startsWith('type '));
    })
    .map(([statement]) => statement!);
}

/** Layers that must not reach into another's internals: TTS goes through readiness's services. */
const FORBIDDEN: { from: string; to: string[] }[] = [
  { from: 'tts/', to: ['preload/', 'state/'] },
  { from: 'gateway/', to: ['tts/', 'preload/', 'readiness/', 'state/'] },
];

/** The lib-relative paths of the files `file` imports from lib. */
function libImports(file: string, source: string): string[] {
  const specifiers = source.matchAll(/from\s+'(\.{1,2}\/[^']+)'/g);
  return [...specifiers].map(([, specifier]) => relative(LIB, join(dirname(file), specifier!)));
}

describe('architecture: layers', () => {
  it('TTS reaches readiness through its services, and the gateway depends on no feature', () => {
    const offenders = sourceFiles(LIB).flatMap((file) => {
      const from = relative(LIB, file);
      const rule = FORBIDDEN.find((candidate) => from.startsWith(candidate.from));
      if (!rule) return [];
      return libImports(file, readFileSync(file, 'utf8'))
        .filter((target) => rule.to.some((layer) => target.startsWith(layer)))
        .map((target) => `${from} imports ${target}`);
    });
    expect(offenders).toEqual([]);
  });
});

describe('architecture: only the gateway talks to the network', () => {
  it('no file outside lib/gateway, lib/testing and lib/bin imports a network library value', () => {
    const offenders = sourceFiles(LIB)
      .filter((file) => file.endsWith('.ts') && !ALLOWED.test(relative(LIB, file)))
      .flatMap((file) =>
        networkValueImports(readFileSync(file, 'utf8')).map(
          (statement) => `${relative(LIB, file)}: ${statement}`,
        ),
      );
    expect(offenders).toEqual([]);
  });

  it('catches a value import (the check itself can fail)', () => {
    expect(networkValueImports("import { request } from 'node:http';")).toHaveLength(1);
    expect(networkValueImports("import { type IncomingMessage } from 'node:http';")).toEqual([]);
    expect(networkValueImports("import type { RawData } from 'ws';")).toEqual([]);
  });
});
