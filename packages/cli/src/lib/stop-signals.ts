/**
 * The escalation both forms of `lanebench run` share on SIGINT (Ctrl-C), SIGTERM (CI cancel, docker stop) and
 * SIGHUP (closed terminal), whichever arrives: the first asks the run to stop (the running iteration's tree is
 * killed: SIGTERM, grace, SIGKILL) and lets what finished be saved; a second skips the grace and SIGKILLs the tree
 * now, still saving; a third quits at once without saving, exiting 128 + the first signal's number.
 */
import { constants as osConstants } from 'node:os';
import { err } from './output.js';

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** 128 + the signal's number: the shell convention (SIGHUP 129, SIGINT 130, SIGTERM 143). */
export function signalExitCode(sig: NodeJS.Signals): number {
  return 128 + (osConstants.signals[sig] ?? 0);
}

export interface StopSignalActions {
  /** what is stopped, for the first message: `stopping${what}: …` (e.g. ` lane 'docs'`) */
  what?: string | undefined;
  /** first signal: request the stop; the running iteration's tree gets its grace */
  stop(sig: NodeJS.Signals): void;
  /** second signal: kill the running tree now */
  killNow(): void;
  /** third signal, just before the exit: whatever must not outlive us */
  beforeQuit?: (() => void) | undefined;
}

export interface StopSignals {
  /** the first signal received, if any */
  readonly received: NodeJS.Signals | undefined;
  /** removes the handlers (keep them until the finished iterations are saved) */
  dispose(): void;
}

export function onStopSignals(actions: StopSignalActions): StopSignals {
  let received: NodeJS.Signals | undefined;
  let count = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    count++;
    if (count === 1) {
      received = sig;
      err(
        `\nlanebench: ${sig}: stopping${actions.what ?? ''}: killing the running iteration's process tree, then saving the finished iterations (again: kill it now)`,
      );
      actions.stop(sig);
    } else if (count === 2) {
      err(`lanebench: ${sig} again: killing the process tree now (SIGKILL); the finished iterations are still saved`);
      actions.killNow();
    } else {
      err(`lanebench: ${sig} a third time: quitting without saving`);
      actions.beforeQuit?.();
      process.exit(signalExitCode(received ?? sig));
    }
  };
  for (const s of STOP_SIGNALS) process.on(s, onSignal);
  return {
    get received() {
      return received;
    },
    dispose() {
      for (const s of STOP_SIGNALS) process.off(s, onSignal);
    },
  };
}
