import { type LoggerService } from '@nestjs/common';

/** One line the application logged, with its level and context. */
export interface LogLine {
  level: 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';
  message: string;
  context?: string;
}

/** A Nest logger that keeps every line in memory instead of printing it. */
export class CapturingLogger implements LoggerService {
  readonly lines: LogLine[] = [];

  log = (message: unknown, context?: string) => this.keep('log', message, context);
  error = (message: unknown, ...rest: unknown[]) => this.keep('error', message, lastString(rest));
  warn = (message: unknown, context?: string) => this.keep('warn', message, context);
  debug = (message: unknown, context?: string) => this.keep('debug', message, context);
  verbose = (message: unknown, context?: string) => this.keep('verbose', message, context);
  fatal = (message: unknown, context?: string) => this.keep('fatal', message, context);

  /** Messages of the module's own lines (context `HamsaVoice`) at one level. */
  messages(level: LogLine['level']): string[] {
    return this.lines
      .filter((line) => line.level === level && line.context === 'HamsaVoice')
      .map((line) => line.message);
  }

  private keep(level: LogLine['level'], message: unknown, context?: string): void {
    this.lines.push({ level, message: String(message), context });
  }
}

function lastString(values: unknown[]): string | undefined {
  const last = values.at(-1);
  return typeof last === 'string' ? last : undefined;
}
