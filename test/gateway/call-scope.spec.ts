import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from '@jest/globals';
import { CallScope } from '../../lib/gateway/call-scope.js';
import { HamsaTimeoutError } from '../../lib/index.js';

const timeout = (what: string) => () => new HamsaTimeoutError(what, { timeoutMs: 0 });
const messageOf = (reason: unknown) => (reason as Error).message;

describe('CallScope', () => {
  it('follows the signals it was given, and its lazily made signal follows it', () => {
    const caller = new AbortController();
    const scope = new CallScope(undefined, caller.signal);
    const heard: unknown[] = [];
    scope.onAbort(() => heard.push(scope.reason));
    const signal = scope.signal;

    caller.abort(new Error('caller left'));

    expect(scope.aborted).toBe(true);
    expect(heard).toEqual([new Error('caller left')]);
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toEqual(new Error('caller left'));
    expect(scope.failure(new Error('other'))).toEqual(new Error('caller left'));
  });

  it('is aborted from the start by an aborted signal; a signal asked for later is too', () => {
    const caller = new AbortController();
    caller.abort(new Error('already gone'));
    const scope = new CallScope(caller.signal);
    const heard: unknown[] = [];
    scope.onAbort(() => heard.push('late listener'));

    expect(scope.signal.aborted).toBe(true);
    expect(scope.signal.reason).toEqual(new Error('already gone'));
    expect(heard).toEqual([]);
  });

  it('calls each listener once, and none that was removed', () => {
    const caller = new AbortController();
    const scope = new CallScope(caller.signal);
    const heard: string[] = [];
    scope.onAbort(() => heard.push('kept'));
    const unlink = scope.onAbort(() => heard.push('removed'));
    unlink();

    caller.abort(new Error('one'));
    caller.abort(new Error('two'));

    expect(heard).toEqual(['kept']);
    expect(scope.reason).toEqual(new Error('one'));
  });

  it('aborts with the idle timeout once arm() was not called again in time', async () => {
    const scope = new CallScope();
    scope.arm(400, timeout('first'));
    await sleep(200);
    scope.arm(400, timeout('second'));
    await sleep(100);
    expect(scope.aborted).toBe(false);

    await sleep(400);
    expect(messageOf(scope.reason)).toBe('second');
    scope.dispose();
  });

  it('moves its timer to an earlier deadline, and waits on past a later one', async () => {
    const scope = new CallScope();
    scope.arm(1_000, timeout('long'));
    scope.arm(30, timeout('short'));
    await sleep(60);
    expect(messageOf(scope.reason)).toBe('short');

    const later = new CallScope();
    later.arm(20, timeout('short'));
    later.arm(400, timeout('long'));
    await sleep(100);
    expect(later.aborted).toBe(false);
    await sleep(400);
    expect(messageOf(later.reason)).toBe('long');
    scope.dispose();
    later.dispose();
  });

  it('does not abort while disarmed, nor after dispose()', async () => {
    const disarmed = new CallScope();
    disarmed.arm(20, timeout('idle'));
    disarmed.disarm();
    const disposed = new CallScope();
    disposed.arm(20, timeout('idle'));
    disposed.limit(20, timeout('deadline'));
    disposed.dispose();

    await sleep(50);

    expect(disarmed.aborted).toBe(false);
    expect(disposed.aborted).toBe(false);
    disarmed.dispose();
  });

  it('aborts at its deadline whatever arm() does meanwhile', async () => {
    const scope = new CallScope();
    scope.limit(40, timeout('deadline'));
    for (let i = 0; i < 6; i++) {
      scope.arm(1_000, timeout('idle'));
      await sleep(10);
    }
    await sleep(20);
    expect(messageOf(scope.reason)).toBe('deadline');
    scope.dispose();
  });
});
