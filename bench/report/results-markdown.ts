import { format, resolveConfig } from 'prettier';
import { type SectionReport, type TargetCheck } from './report.interfaces.js';

/** Where and when the benchmarks ran. */
export interface BenchEnvironment {
  date: string;
  machine: string;
  node: string;
  nest: string;
  mode: 'full' | 'quick';
}

/** The whole report as Markdown, formatted as the project's prettier config wants it. */
export async function resultsMarkdown(
  environment: BenchEnvironment,
  sections: SectionReport[],
  filePath: string,
): Promise<string> {
  const targets = sections.flatMap((section) => section.targets);
  const missed = targets.filter((target) => !target.met);
  const lines = [
    '# Benchmark results',
    '',
    `Written by \`npm run bench\`${environment.mode === 'quick' ? ' -- --quick' : ''} on ` +
      `${environment.date}. Machine: ${environment.machine}. Node ${environment.node}, ` +
      `NestJS ${environment.nest}.`,
    '',
    '## Targets',
    '',
    table([
      ['target', 'goal', 'measured', 'met'],
      ...targets.map((target) => [target.name, target.target, target.measured, mark(target)]),
    ]),
    ...sections.flatMap((section) => [
      '',
      `## ${section.title}`,
      '',
      section.description,
      '',
      table(section.table),
    ]),
    '',
    '## Missed targets',
    '',
    ...(missed.length === 0
      ? ['None.']
      : missed.map(
          (target) =>
            `- ${target.name}: ${target.measured}${target.note ? ` — ${target.note}` : ''}.`,
        )),
  ];
  const config = await resolveConfig(filePath);
  return format(lines.join('\n'), { ...config, parser: 'markdown' });
}

function mark(target: TargetCheck): string {
  return target.met ? 'yes' : 'no';
}

/** A Markdown table (prettier aligns it); `|` in cells is escaped. */
function table(rows: string[][]): string {
  const [header, ...body] = rows.map((row) => row.map((cell) => cell.replaceAll('|', '\\|')));
  return [header, header.map(() => '---'), ...body]
    .map((row) => `| ${row.join(' | ')} |`)
    .join('\n');
}
