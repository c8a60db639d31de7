import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** The PostgreSQL server programs: on PATH, or Debian's /usr/lib/postgresql/<version>/bin. */
function pgBin(program: string): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, program);
    if (fs.existsSync(candidate)) {
      return candidate;
    }
  }
  const debian = '/usr/lib/postgresql';
  if (fs.existsSync(debian)) {
    const versions = fs
      .readdirSync(debian)
      .sort((a, b) => Number(b) - Number(a));
    for (const version of versions) {
      const candidate = path.join(debian, version, 'bin', program);
      if (fs.existsSync(candidate)) {
        return candidate;
      }
    }
  }
  throw new Error(`${program} not found: install PostgreSQL's server package`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/**
 * A PostgreSQL cluster of a test's own, on a free port, that the test may stop and start: the
 * shared server on 5432 is never touched. PostgreSQL refuses to run as root, so as root the
 * cluster runs as the `postgres` user.
 */
export class ThrowawayPostgres {
  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly asUser: string[],
  ) {}

  static async create(): Promise<ThrowawayPostgres> {
    const port = await freePort();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'datamesh-pg-'));
    const asUser =
      process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--'] : [];
    if (asUser.length) {
      execFileSync('chown', ['postgres', dir]);
    }
    const pg = new ThrowawayPostgres(port, dir, asUser);
    pg.run(pgBin('initdb'), [
      '-D',
      path.join(dir, 'data'),
      '-U',
      'postgres',
      '--auth=trust',
      '--no-sync',
    ]);
    pg.start();
    return pg;
  }

  private run(program: string, args: string[]) {
    const [cmd, ...rest] = this.asUser.length
      ? [...this.asUser, program, ...args]
      : [program, ...args];
    execFileSync(cmd, rest, { stdio: 'pipe' });
  }

  /** The connection settings for knex's `pg` client. */
  get connection() {
    return {
      host: '127.0.0.1',
      port: this.port,
      user: 'postgres',
      database: 'postgres',
    };
  }

  start() {
    this.run(pgBin('pg_ctl'), [
      '-D',
      path.join(this.dir, 'data'),
      '-l',
      path.join(this.dir, 'log'),
      '-o',
      `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
      '-w',
      'start',
    ]);
  }

  /** Stops the server at once, cutting every connection (as a crash or a failover would). */
  stop() {
    this.run(pgBin('pg_ctl'), [
      '-D',
      path.join(this.dir, 'data'),
      '-m',
      'immediate',
      '-w',
      'stop',
    ]);
  }

  /** Stops the server and removes its files. */
  destroy() {
    try {
      this.stop();
    } catch {
      // already stopped
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
