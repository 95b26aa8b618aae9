import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { installLifecycle } from './lifecycle.ts';

function harness(timeoutMs = 1_000) {
  const target = new EventEmitter();
  const lines: string[] = [];
  const exit = vi.fn<(code: number) => void>();
  const life = installLifecycle({
    timeoutMs,
    log: (line) => lines.push(line),
    exit,
    target,
  });
  return { target, lines, exit, life };
}

describe('lifecycle: a signal during start-up', () => {
  it('waits for the next checkpoint, then runs the steps newest first and exits 0', async () => {
    const { target, exit, life } = harness();
    const order: string[] = [];
    life.onStop(() => void order.push('database'));
    expect(await life.halted()).toBe(false);
    target.emit('SIGTERM', 'SIGTERM');
    expect(life.stopping).toBe(true);
    expect(life.abort.aborted).toBe(true);
    expect(exit).not.toHaveBeenCalled();
    life.onStop(() => void order.push('server'));
    expect(await life.halted()).toBe(true);
    expect(order).toEqual(['server', 'database']);
    expect(exit).toHaveBeenCalledWith(0);
  });
});

describe('lifecycle: a signal once ready', () => {
  it('stops at once; a second signal (npm forwards the terminal one) changes nothing', async () => {
    const { target, exit, life, lines } = harness();
    const close = vi.fn(async () => {});
    life.onStop(close);
    life.ready();
    target.emit('SIGINT', 'SIGINT');
    target.emit('SIGINT', 'SIGINT');
    await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(0));
    expect(close).toHaveBeenCalledTimes(1);
    expect(lines.filter((l) => l.includes('stopping'))).toHaveLength(1);
  });

  it('at the deadline drops what is open; a step that still hangs ends in exit 1', async () => {
    vi.useFakeTimers();
    try {
      const { exit, life } = harness(500);
      const dropped = vi.fn();
      life.onDeadline(dropped);
      life.onStop(() => new Promise<void>(() => {}));
      life.ready();
      void life.stop('SIGTERM');
      await vi.advanceTimersByTimeAsync(499);
      expect(dropped).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(1);
      expect(dropped).toHaveBeenCalledTimes(1);
      await vi.advanceTimersByTimeAsync(2_000);
      expect(exit).toHaveBeenCalledWith(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
