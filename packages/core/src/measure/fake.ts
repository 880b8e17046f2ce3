/**
 * Test doubles of the measurement seam (like hyperfine's MockExecutor): a sampler that returns figures the test
 * chose and an executor that "runs" commands without a process, so the logic of measureIteration and runWorkflow
 * (statuses, timeouts, warm-ups, aborts, custom metrics) is tested without spawning anything.
 */
import type { ExecResult } from './types.js';
import { ExecError, describeCommand, type Executor, type RunExecOptions, type SpawnRecord } from './exec.js';
import type { KnownProcess } from './kill.js';
import type { SamplerFactory, SamplerOptions, TreeFigures, TreeSampler } from './sampler.js';

/** Pids above Linux's pid_max (2^22): never a real process, so a stray signal to one cannot hurt. */
let nextFakePid = 5_000_000;

export interface FakeCommandResult {
  /** how long the command "runs", ms (real timer: the clock of measureIteration is not faked) */
  durationMs?: number;
  code?: number;
  signal?: NodeJS.Signals | null;
  stdout?: string;
  stderr?: string;
}

/** An executor that answers every command with `behaviour(command)`, honouring the abort signal like runExec. */
export class FakeExecutor {
  readonly commands: string[] = [];
  /** the environment each command was given */
  readonly envs: Array<Record<string, string | undefined>> = [];
  constructor(private readonly behaviour: (command: string) => FakeCommandResult = () => ({})) {}

  readonly run: Executor = (cmd: string | string[], o: RunExecOptions): Promise<ExecResult> => {
    const command = describeCommand(cmd);
    this.commands.push(command);
    this.envs.push(o.env ?? {});
    const r = this.behaviour(command);
    if (o.signal.aborted) {
      const a = o.abortReason();
      return Promise.reject(
        new ExecError(`${command}: not started, ${a.text}`, command, null, null, '', '', a.timedOut),
      );
    }
    const now = performance.now();
    const rec: SpawnRecord = { command, pid: nextFakePid++, spawnAt: now, startedAt: now };
    o.onSpawn(rec);
    return new Promise<ExecResult>((resolve, reject) => {
      const finish = (): void => {
        o.signal.removeEventListener('abort', onAbort);
        rec.exitAt = performance.now();
        rec.code = r.signal ? null : (r.code ?? 0);
        rec.signal = r.signal ?? null;
        const out = r.stdout ?? '';
        const err = r.stderr ?? '';
        if (rec.code === 0) resolve({ code: 0, stdout: out, stderr: err });
        else {
          const why = rec.code !== null ? `exit code ${rec.code}` : `killed by ${rec.signal ?? 'a signal'}`;
          reject(
            new ExecError(`Command failed with ${why}: ${command}`, command, rec.code, rec.signal, out, err, false),
          );
        }
      };
      const timer = setTimeout(finish, r.durationMs ?? 0);
      const onAbort = (): void => {
        clearTimeout(timer);
        rec.exitAt = performance.now();
        rec.code = null;
        rec.signal = 'SIGTERM';
        const a = o.abortReason();
        reject(new ExecError(`${command}: ${a.text}`, command, null, 'SIGTERM', '', '', a.timedOut));
      };
      o.signal.addEventListener('abort', onAbort, { once: true });
    });
  };
}

/** A sampler whose figures are chosen by the test (per call of the factory: `figures(n)` for the n-th iteration). */
export class FakeSampler implements TreeSampler {
  readonly roots: number[] = [];
  started = false;
  stopped = false;
  constructor(
    readonly opts: SamplerOptions,
    private readonly figures: Partial<TreeFigures>,
    private readonly leftovers: KnownProcess[] = [],
  ) {}
  start(): Promise<void> {
    this.started = true;
    return Promise.resolve();
  }
  addRoot(pid: number): void {
    this.roots.push(pid);
  }
  alive(): KnownProcess[] {
    return [];
  }
  workloadEnded(): Promise<KnownProcess[]> {
    return Promise.resolve(this.leftovers);
  }
  sweep(): Promise<KnownProcess[]> {
    return Promise.resolve([]);
  }
  stop(ownCpuSeconds: number): Promise<TreeFigures> {
    this.stopped = true;
    return Promise.resolve({
      cpu_seconds: ownCpuSeconds,
      memory_bytes: 0,
      disk_read_bytes: 0,
      disk_write_bytes: 0,
      network_rx_bytes: 0,
      network_tx_bytes: 0,
      network_loopback_bytes: 0,
      timeline: [],
      methods: { cpu: 'fake', memory: 'fake', disk: 'fake', network: 'fake', network_scope: 'fake' },
      measurement: {},
      ...this.figures,
    });
  }
}

/** A factory that records every sampler it made; `figures(n)` gives the figures of the n-th (1-based) one. */
export function fakeSamplers(figures: (n: number) => Partial<TreeFigures> = () => ({})): {
  factory: SamplerFactory;
  made: FakeSampler[];
} {
  const made: FakeSampler[] = [];
  const factory: SamplerFactory = (opts) => {
    const s = new FakeSampler(opts, figures(made.length + 1));
    made.push(s);
    return s;
  };
  return { factory, made };
}
