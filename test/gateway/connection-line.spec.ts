import { describe, expect, it } from '@jest/globals';
import { ConnectionLine } from '../../lib/gateway/connection-line.js';
import { settled } from '../support/hamsa-harness.js';

const refused = () => new Error('refused');
/** Lets pending promise callbacks run. */
const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('ConnectionLine', () => {
  it('serves waiters first come first served, one release each', async () => {
    const line = new ConnectionLine(1);
    const release = await line.acquire(undefined, refused);
    const served: number[] = [];
    const waiters = [1, 2].map((n) =>
      line.acquire(undefined, refused).then((next) => {
        served.push(n);
        return next;
      }),
    );

    release();
    release(); // a second call gives nothing back
    await flush();
    expect(served).toEqual([1]);
    (await waiters[0])();
    await flush();
    expect(served).toEqual([1, 2]);
  });

  it('drops a waiter whose signal aborted: the connection goes to the next', async () => {
    const line = new ConnectionLine(1);
    const release = await line.acquire(undefined, refused);
    const controller = new AbortController();
    const gaveUp = settled(line.acquire(controller.signal, refused));
    const next = line.acquire(undefined, refused);

    controller.abort(new Error('caller left'));
    release();

    expect(await gaveUp).toEqual(new Error('caller left'));
    await expect(next).resolves.toEqual(expect.any(Function));
  });

  it('once closed, refuses those waiting and every later one; holders keep theirs', async () => {
    const line = new ConnectionLine(1);
    const release = await line.acquire(undefined, refused);
    const waiting = settled(line.acquire(undefined, refused));

    line.close();
    release();

    expect(await waiting).toEqual(new Error('refused'));
    expect(await settled(line.acquire(undefined, refused))).toEqual(new Error('refused'));
  });
});
