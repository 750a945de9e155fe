/**
 * Runs `homewatch capture` (the built CLI) in a lab's capture namespace for the live tests.
 * Every agent started is remembered, so a failed test cannot leave one running: call
 * stopAllAgents() in afterAll, before the lab is cleaned up.
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { CLI, type CliResult } from '../../helpers/cli.js';
import { waitForListen, type Lab } from './netns.js';

export interface Agent {
  pid: number;
  done: Promise<CliResult>;
  kill(signal: NodeJS.Signals): void;
}

const running = new Set<ChildProcess>();
let nextPort = 20000 + Math.floor(Math.random() * 20000);

/**
 * Starts `homewatch capture` on the lab's capture end; resolves when /healthz listens. `wrap`
 * goes before node (e.g. setpriv to run it as another user).
 */
export async function startAgent(lab: Lab, args: string[], wrap: string[] = []): Promise<Agent> {
  const port = nextPort++;
  const [cmd, ...rest] = lab.inCapture([
    ...wrap,
    process.execPath,
    CLI,
    'capture',
    '--interface',
    lab.ifCapture,
    '--health',
    String(port),
    ...args,
  ]);
  const child = spawn(cmd, rest);
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = new Promise<CliResult>((res) => {
    child.on('close', (code) => {
      running.delete(child);
      res({ code, stdout, stderr });
    });
  });
  await Promise.race([
    waitForListen(lab, port),
    done.then((r) => {
      throw new Error(`capture ended before it was ready: ${r.code} ${r.stderr}`);
    }),
  ]);
  return { pid: child.pid ?? -1, done, kill: (s) => child.kill(s) };
}

/** Kills every agent still running (a test that failed before it stopped its own). */
export function stopAllAgents(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

/**
 * Sends `signal` and waits for the exit; `killed` tells whether it had to be SIGKILLed because it
 * had not exited within `budgetMs` (issue 3: 5 s).
 */
export async function signalAndWait(
  agent: Agent,
  signal: NodeJS.Signals,
  budgetMs = 5000,
): Promise<CliResult & { killed: boolean }> {
  agent.kill(signal);
  let killed = false;
  const guard = setTimeout(() => {
    killed = true;
    agent.kill('SIGKILL');
  }, budgetMs);
  const r = await agent.done;
  clearTimeout(guard);
  return { ...r, killed };
}
