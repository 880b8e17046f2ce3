/**
 * ctx.exec: runs one command as a member of the measured tree.
 *
 * The child is spawned `detached` (its own process group) so that the timeout can signal the whole group; its end
 * is the 'exit' event (not 'close': a grandchild that inherited stdout must not stretch the measured time), after
 * which we wait briefly for the pipes to drain.
 */
import { spawn } from 'node:child_process';
import type { ExecOptions, ExecResult } from './types.js';
import { killTree, type KnownProcess } from './kill.js';

/** Rejection of ctx.exec: non-zero exit, death by signal, timeout or abort. */
export class ExecError extends Error {
  override name = 'ExecError';
  constructor(
    message: string,
    readonly command: string,
    readonly code: number | null,
    readonly signal: NodeJS.Signals | null,
    readonly stdout: string,
    readonly stderr: string,
    readonly timedOut: boolean,
  ) {
    super(message);
  }
}

/** Timing and outcome of one spawned command, as the iteration executor needs them. */
export interface SpawnRecord {
  command: string;
  pid: number | undefined;
  /** performance.now() just before spawn() */
  spawnAt: number;
  /**
   * performance.now() when spawn() returned. libuv's uv_spawn returns only once the child has exec'd the program
   * (it waits on a close-on-exec pipe), so this is when the workflow's own code starts; the time before it is our
   * fork(), which grows with the harness's memory (5–25 ms from a Vitest worker), not with the workflow.
   */
  startedAt: number;
  /** performance.now() at the 'exit' event */
  exitAt?: number;
  code?: number | null;
  signal?: NodeJS.Signals | null;
}

export interface RunExecOptions extends ExecOptions {
  signal: AbortSignal;
  /** reason text when the signal fires (e.g. 'timed out after 2 s') */
  abortReason: () => { text: string; timedOut: boolean };
  graceMs: number;
  /** processes of the tree known to the sampler, killed together with the child's own tree */
  known: () => KnownProcess[];
  onSpawn: (rec: SpawnRecord) => void;
}

/** How ctx.exec runs a command: runExec, or a fake in tests of the logic (fake.ts). */
export type Executor = (cmd: string | string[], o: RunExecOptions) => Promise<ExecResult>;

/** Keeps the last `limit` bytes of a stream: logs of CI commands can be huge and only the tail is reported. */
class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  constructor(private readonly limit: number) {}
  push(b: Buffer): void {
    this.chunks.push(b);
    this.size += b.length;
    while (this.size - (this.chunks[0]?.length ?? 0) >= this.limit && this.chunks.length > 1) {
      this.size -= (this.chunks.shift() as Buffer).length;
    }
  }
  toString(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

const OUTPUT_LIMIT = 8 * 1024 * 1024;
const STDIO_DRAIN_MS = 200;

export function describeCommand(cmd: string | string[]): string {
  return typeof cmd === 'string' ? cmd : cmd.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
}

export function runExec(cmd: string | string[], o: RunExecOptions): Promise<ExecResult> {
  const command = describeCommand(cmd);
  if (Array.isArray(cmd) && (cmd.length === 0 || typeof cmd[0] !== 'string' || cmd[0] === '')) {
    return Promise.reject(new TypeError('exec: an argv array needs at least the program name'));
  }
  if (typeof cmd === 'string' && cmd.trim() === '') return Promise.reject(new TypeError('exec: empty command'));
  if (o.signal.aborted) {
    const r = o.abortReason();
    return Promise.reject(new ExecError(`${command}: not started, ${r.text}`, command, null, null, '', '', r.timedOut));
  }

  return new Promise<ExecResult>((resolve, reject) => {
    const stdout = new TailBuffer(OUTPUT_LIMIT);
    const stderr = new TailBuffer(OUTPUT_LIMIT);
    const rec: SpawnRecord = { command, pid: undefined, spawnAt: performance.now(), startedAt: 0 };
    // detached: own session and process group, so a timeout can signal every member at once (on Windows it would
    // open a console window instead; the tree is ended there with taskkill /T).
    const spawnOpts = {
      cwd: o.cwd,
      env: o.env as NodeJS.ProcessEnv,
      detached: process.platform !== 'win32',
      windowsHide: true,
      stdio: [o.input !== undefined ? 'pipe' : 'ignore', 'pipe', 'pipe'] as ['pipe' | 'ignore', 'pipe', 'pipe'],
    };
    const child =
      typeof cmd === 'string'
        ? spawn(cmd, { ...spawnOpts, shell: true })
        : spawn(cmd[0] as string, cmd.slice(1), spawnOpts);
    rec.startedAt = performance.now();
    rec.pid = child.pid;
    o.onSpawn(rec);

    child.stdin?.on('error', () => {
      /* the child may exit without reading its input */
    });
    if (o.input !== undefined) child.stdin?.end(o.input);
    child.stdout?.on('data', (b: Buffer) => {
      stdout.push(b);
      if (o.echo) process.stdout.write(b);
    });
    child.stderr?.on('data', (b: Buffer) => {
      stderr.push(b);
      if (o.echo) process.stderr.write(b);
    });

    let aborted: { text: string; timedOut: boolean } | undefined;
    let kill: Promise<void> | undefined;
    const onAbort = (): void => {
      aborted = o.abortReason();
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        kill = killTree(child.pid, { graceMs: o.graceMs, known: o.known() });
      }
    };
    o.signal.addEventListener('abort', onAbort, { once: true });

    let settled = false;
    const finish = (code: number | null, signal: NodeJS.Signals | null, spawnError?: Error): void => {
      if (settled) return;
      settled = true;
      o.signal.removeEventListener('abort', onAbort);
      const out = stdout.toString();
      const err = stderr.toString();
      const done = (): void => {
        if (aborted) {
          reject(
            new ExecError(`${command}: ${aborted.text}${tail(err)}`, command, code, signal, out, err, aborted.timedOut),
          );
        } else if (spawnError) {
          reject(
            new ExecError(`${command}: could not start: ${spawnError.message}`, command, null, null, out, err, false),
          );
        } else if (code === 0) {
          resolve({ code, stdout: out, stderr: err });
        } else {
          const why = code !== null ? `exit code ${code}` : `killed by ${signal ?? 'a signal'}`;
          reject(
            new ExecError(`Command failed with ${why}: ${command}${tail(err)}`, command, code, signal, out, err, false),
          );
        }
      };
      if (kill) kill.then(done, done);
      else done();
    };

    child.once('error', (e) => {
      // 'error' without a pid means spawn itself failed (ENOENT, EACCES); there will be no 'exit'.
      if (child.pid === undefined) {
        rec.exitAt = performance.now();
        finish(null, null, e);
      }
    });
    child.once('exit', (code, signal) => {
      rec.exitAt = performance.now();
      rec.code = code;
      rec.signal = signal;
      // Let the pipes drain, but do not wait for descendants that still hold them open.
      const timer = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        finish(code, signal);
      }, STDIO_DRAIN_MS);
      child.once('close', () => {
        clearTimeout(timer);
        finish(code, signal);
      });
    });
  });
}

/** Last lines of stderr for error messages. */
function tail(stderr: string, maxLines = 20, maxChars = 4000): string {
  const t = stderr.trimEnd();
  if (!t) return '';
  let lines = t.split('\n').slice(-maxLines).join('\n');
  if (lines.length > maxChars) lines = '…' + lines.slice(-maxChars);
  return `\n--- stderr (tail) ---\n${lines}`;
}
