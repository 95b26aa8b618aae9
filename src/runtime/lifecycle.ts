/**
 * Process lifecycle: one place that turns SIGINT/SIGTERM into an orderly stop. It is installed
 * before anything slow (UI build, migrate, seed), so a signal at any moment ends the process
 * cleanly: start-up stops at its next checkpoint, a running server stops accepting, finishes its
 * in-flight requests within the deadline, closes the database and the process exits 0.
 */

export type StopSignal = 'SIGINT' | 'SIGTERM';
type Step = () => Promise<void> | void;

export interface Lifecycle {
  /** True once a stop was asked for. */
  readonly stopping: boolean;
  /** Aborted on the first signal: long start-up work (a child build) can stop at once. */
  readonly abort: AbortSignal;
  /** Adds a clean-up step; steps run newest first (the server closes before the database). */
  onStop(step: Step): void;
  /** Adds what to do when the deadline passes with steps still running (drop open connections). */
  onDeadline(step: () => void): void;
  /** Start-up calls this between steps: when a stop was asked for, it stops and returns true. */
  halted(): Promise<boolean>;
  /** Start-up is over: a signal from now on stops at once, there is no checkpoint left to reach. */
  ready(): void;
  /** Stops as a signal would (also used by tests). */
  stop(reason: string): Promise<void>;
}

/** The real process, or an EventEmitter in a test. */
export interface SignalSource {
  on(event: StopSignal, listener: (signal: StopSignal) => void): unknown;
}

export interface LifecycleOptions {
  /** How long in-flight work may take after a signal (config SHUTDOWN_TIMEOUT_MS). */
  timeoutMs: number;
  log?: (line: string) => void;
  exit?: (code: number) => void;
  /** Where the handlers go; a test passes an EventEmitter instead of the real process. */
  target?: SignalSource;
}

/** After the deadline's hooks ran, the clean-up gets this long before the process gives up (exit 1). */
const graceAfterDeadlineMs = 2_000;

export function installLifecycle(options: LifecycleOptions): Lifecycle {
  const log = options.log ?? ((line: string) => console.log(line));
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const target = options.target ?? process;
  const steps: Step[] = [];
  const deadlineHooks: Array<() => void> = [];
  const controller = new AbortController();
  let isReady = false;
  let stopped: Promise<void> | null = null;

  let deadline: NodeJS.Timeout | undefined;
  // Armed at the first signal, so a start-up step that never reaches its checkpoint is bounded too.
  const armDeadline = () => {
    deadline ??= setTimeout(() => {
      log(`shutdown: the ${options.timeoutMs} ms deadline passed; closing what is still open`);
      for (const hook of deadlineHooks) hook();
      setTimeout(() => {
        log('shutdown: clean-up did not finish after the deadline; exiting with status 1');
        exit(1);
      }, graceAfterDeadlineMs).unref();
    }, options.timeoutMs).unref();
  };

  const runSteps = async () => {
    for (const step of steps.reverse()) {
      try {
        await step();
      } catch (err) {
        log(`shutdown: a clean-up step failed (${String(err)})`);
      }
    }
    clearTimeout(deadline);
    log('stopped');
    exit(0);
  };

  const stop = (reason: string): Promise<void> => {
    if (!stopped) {
      log(`${reason}: stopping (in-flight work gets ${options.timeoutMs} ms)`);
      controller.abort(reason);
      armDeadline();
      stopped = runSteps();
    }
    return stopped;
  };

  const onSignal = (signal: StopSignal) => {
    // npm forwards the terminal's SIGINT, so a second signal is usual and changes nothing.
    if (controller.signal.aborted) return;
    if (isReady) {
      void stop(signal);
      return;
    }
    log(`${signal}: start-up stops at its next step`);
    controller.abort(signal);
    armDeadline();
  };
  target.on('SIGINT', onSignal);
  target.on('SIGTERM', onSignal);

  return {
    get stopping() {
      return controller.signal.aborted;
    },
    abort: controller.signal,
    onStop: (step) => void steps.push(step),
    onDeadline: (hook) => void deadlineHooks.push(hook),
    halted: async () => {
      if (!controller.signal.aborted) return false;
      await stop(String(controller.signal.reason));
      return true;
    },
    ready: () => {
      isReady = true;
    },
    stop,
  };
}
