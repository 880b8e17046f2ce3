/**
 * A real PostgreSQL server for the store tests. With LANEBENCH_TEST_PG_URL (set by .ci/run) a fresh
 * database is created on that server; otherwise, or when a test must stop the server itself, a
 * throwaway cluster is created with Debian's binaries (initdb + pg_ctl as user postgres, trust auth,
 * a free port, a socket in the temp dir) and removed by stop(). When PostgreSQL is absent the test
 * skips with the reason printed, and fails under LANEBENCH_REQUIRE_TOOLS=1.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PG_BIN = process.env.LANEBENCH_PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PgServer {
  /** a URL of a fresh database, with a password (trust auth ignores it; messages must never show it) */
  url: string;
  /** the password inside `url` */
  password: string;
  /** only for a cluster this helper started */
  stopServer?: () => void;
  /** argv that stops the server at once (for a workflow to run mid-measurement) */
  stopCommand?: string[];
  startServer?: () => void;
  /** a URL of another fresh, empty database on the same server */
  newDatabase(): Promise<string>;
  /** drop the database / remove the cluster */
  stop(): Promise<void>;
}

function unavailable(why: string, reason: string): null {
  const msg = `PostgreSQL is not available (${reason}): ${why} (install Debian's postgresql, as .ci/run does)`;
  if (process.env.LANEBENCH_REQUIRE_TOOLS === '1') throw new Error(`required tool missing — ${msg}`);
  console.warn(`SKIP: ${msg}`);
  return null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr || r.stdout || String(r.error)}`);
}

async function withAdmin<T>(adminUrl: string, fn: (q: (sql: string) => Promise<unknown>) => Promise<T>): Promise<T> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn((sql) => client.query(sql));
  } finally {
    await client.end();
  }
}

/** A URL with user lanebench, a password, and database `db`. */
function urlFor(host: string, port: number, db: string, password: string): string {
  return `postgres://lanebench:${password}@${host}:${port}/${db}`;
}

export async function startPostgres(why: string, opts: { own?: boolean } = {}): Promise<PgServer | null> {
  const password = `pw-${randomBytes(6).toString('hex')}`;
  const db = `lanebench_test_${randomBytes(4).toString('hex')}`;
  const shared = process.env.LANEBENCH_TEST_PG_URL;
  if (shared && !opts.own) {
    await withAdmin(shared, async (q) => {
      await q(`DO $$ BEGIN CREATE ROLE lanebench LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$`);
      await q(`CREATE DATABASE ${db} OWNER lanebench`);
    });
    const u = new URL(shared);
    const extra: string[] = [];
    return {
      url: urlFor(u.hostname, Number(u.port || 5432), db, password),
      password,
      newDatabase: async () => {
        const name = `${db}_${extra.length + 1}`;
        extra.push(name);
        await withAdmin(shared, (q) => q(`CREATE DATABASE ${name} OWNER lanebench`));
        return urlFor(u.hostname, Number(u.port || 5432), name, password);
      },
      stop: () =>
        withAdmin(shared, async (q) => {
          for (const name of [db, ...extra]) await q(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        }),
    };
  }
  if (!existsSync(join(PG_BIN, 'initdb'))) return unavailable(why, `${PG_BIN}/initdb not found`);
  if (process.getuid?.() !== 0 && !process.env.LANEBENCH_PG_AS_SELF) {
    return unavailable(why, 'starting a throwaway cluster needs root (to run it as user postgres)');
  }
  const dir = mkdtempSync(join(tmpdir(), 'lanebench-pg-'));
  const pgUser = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  if (pgUser.status !== 0) return unavailable(why, 'no user postgres');
  chownSync(
    dir,
    Number(pgUser.stdout.trim()),
    Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim()),
  );
  const data = join(dir, 'data');
  const port = await freePort();
  const asPg = (bin: string, args: string[]) => run('runuser', ['-u', 'postgres', '--', join(PG_BIN, bin), ...args]);
  asPg('initdb', ['-D', data, '--auth=trust', '-U', 'postgres', '--no-sync']);
  const startServer = () =>
    asPg('pg_ctl', [
      '-D',
      data,
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
      '-w',
      '-l',
      join(dir, 'log'),
      'start',
    ]);
  const stopServer = () => asPg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
  startServer();
  const admin = `postgres://postgres@127.0.0.1:${port}/postgres`;
  await withAdmin(admin, async (q) => {
    await q(`CREATE ROLE lanebench LOGIN`);
    await q(`CREATE DATABASE ${db} OWNER lanebench`);
  });
  return {
    url: urlFor('127.0.0.1', port, db, password),
    password,
    newDatabase: async () => {
      const name = `${db}_${randomBytes(3).toString('hex')}`;
      await withAdmin(admin, (q) => q(`CREATE DATABASE ${name} OWNER lanebench`));
      return urlFor('127.0.0.1', port, name, password);
    },
    stopServer,
    startServer,
    stopCommand: [
      'runuser',
      '-u',
      'postgres',
      '--',
      join(PG_BIN, 'pg_ctl'),
      '-D',
      data,
      '-m',
      'immediate',
      '-w',
      'stop',
    ],
    stop: () => {
      try {
        stopServer();
      } catch {
        /* already stopped */
      }
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  };
}
