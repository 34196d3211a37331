import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

// The server under test and the floor run in child processes, so their CPU time and memory are
// theirs alone (autocannon runs in the parent). Each answers a `usage` message over IPC.

export interface ProcessUsage {
  /** User + system CPU since the process started, ms. */
  cpuMs: number;
  rssBytes: number;
  maxRssBytes: number;
  /** Errors the process logged since it started (the server logs each internal error once). */
  errors: number;
}

type Message = { type: 'ready'; port: number } | ({ type: 'usage'; seq: number } & ProcessUsage);

/** In the child: answers usage requests and stops on `stop` (after `close`). */
export function serveUsage(port: number, close: () => Promise<void>, errors: () => number = () => 0): void {
  process.on('message', (message: { type: string; seq?: number }) => {
    if (message.type === 'usage') {
      const cpu = process.cpuUsage();
      const usage: ProcessUsage = {
        cpuMs: (cpu.user + cpu.system) / 1000,
        rssBytes: process.memoryUsage().rss,
        maxRssBytes: process.resourceUsage().maxRSS * 1024,
        errors: errors(),
      };
      // The request's number goes back with the answer: a late answer never passes for a newer one.
      process.send!({ type: 'usage', seq: message.seq, ...usage });
    }
    if (message.type === 'stop') void close().finally(() => process.exit(0));
  });
  process.send!({ type: 'ready', port });
}

export interface Child {
  pid: number;
  port: number;
  usage(): Promise<ProcessUsage>;
  stop(): Promise<void>;
}

/** Forks a TypeScript entry point (through @swc-node/register) and waits for its port. */
export async function startChild(file: string, env: Record<string, string>, nodeArgs: string[] = []): Promise<Child> {
  const child: ChildProcess = fork(file, [], {
    execArgv: ['-r', '@swc-node/register', ...nodeArgs],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = (type: Message['type'], seq?: number) =>
    new Promise<Message>((resolve, reject) => {
      const onMessage = (m: Message) => {
        if (m.type !== type || (seq !== undefined && 'seq' in m && m.seq !== seq)) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(m);
      };
      const onExit = (code: number | null) => reject(new Error(`${file} exited (${code}) before answering ${type}`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const ready = (await next('ready')) as { port: number };
  let requests = 0;
  return {
    pid: child.pid!,
    port: ready.port,
    async usage() {
      const seq = ++requests;
      const answer = next('usage', seq);
      child.send({ type: 'usage', seq });
      const { type: _type, seq: _seq, ...usage } = (await answer) as { type: 'usage'; seq: number } & ProcessUsage;
      return usage;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ type: 'stop' });
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

const CLOCK_TICKS_PER_SECOND = 100;

/** CPU ms of a process (user + system) from /proc, or null where /proc is not readable. */
export function procCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may contain spaces) start at state; utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}
