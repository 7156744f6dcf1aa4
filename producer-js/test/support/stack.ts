import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * The project's own local stack (`budget-meter stack`), started as a child process for the tests and the bench: a
 * real KRaft broker and a real Apicurio Registry, optionally with the metering topology, on free loopback ports.
 */
export interface Stack {
  readonly bootstrapServers: string;
  readonly schemaRegistryUrl: string;
  /** Every KEY=VALUE line the stack printed, for child processes that read them from the environment. */
  readonly env: Readonly<Record<string, string>>;
  /** Closes the stack's standard input (its stop signal) and waits for it to exit; kills it if it does not. */
  stop(): Promise<void>;
}

/** The executable jar the cli module builds; Maven's build puts it there before this module runs. */
export const CLI_JAR = process.env.BUDGET_METER_JAR ?? join(__dirname, '..', '..', '..', '..', 'cli', 'target',
  'budget-meter.jar');
const READY_TIMEOUT_MS = 240_000;
const STOP_TIMEOUT_MS = 60_000;

/**
 * `java -jar budget-meter.jar` with these arguments. The Maven build passes its JVM and local repository (where the
 * stack finds Apicurio's tarball) as JAVA and MAVEN_REPO_LOCAL.
 */
export function cli(args: readonly string[], env: Readonly<Record<string, string>> = {}): ChildProcess {
  const repository = process.env.MAVEN_REPO_LOCAL;
  const jvmArgs = repository ? [`-Dmaven.repo.local=${repository}`] : [];
  return spawn(process.env.JAVA ?? 'java', [...jvmArgs, '-jar', CLI_JAR, ...args],
    { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Starts `budget-meter stack` with these arguments and resolves once it printed READY. */
export async function startStack(args: readonly string[]): Promise<Stack> {
  const child = cli(['stack', ...args]);
  const stderr: string[] = [];
  child.stderr?.setEncoding('utf8').on('data', (text: string) => stderr.push(text));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async (): Promise<void> => {
    child.stdin?.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };
  try {
    const env = await readUntilReady(child, exited, () => stderr.join(''));
    return { bootstrapServers: env.KAFKA_BOOTSTRAP_SERVERS, schemaRegistryUrl: env.SCHEMA_REGISTRY_URL, env, stop };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

async function readUntilReady(child: ChildProcess, exited: Promise<number | null>, stderr: () => string):
    Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  const lines = createInterface({ input: child.stdout! });
  let timer: NodeJS.Timeout | undefined;
  const failed = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`budget-meter stack printed no READY within ${READY_TIMEOUT_MS} ms;`
      + ` its stderr:\n${stderr()}`)), READY_TIMEOUT_MS);
    void exited.then((code) => reject(new Error(`budget-meter stack exited with ${code} before READY; its stderr:\n`
      + stderr())));
  });
  const ready = (async () => {
    for await (const line of lines) {
      if (line === 'READY') {
        return env;
      }
      const equals = line.indexOf('=');
      if (equals <= 0) {
        throw new Error(`budget-meter stack printed "${line}" before READY; only KEY=VALUE lines are expected`);
      }
      env[line.slice(0, equals)] = line.slice(equals + 1);
    }
    throw new Error('budget-meter stack closed its output before READY');
  })();
  try {
    return await Promise.race([ready, failed]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs another `budget-meter` command to its end; resolves with its exit code and output. */
export function runCli(args: readonly string[], env: Readonly<Record<string, string>>):
    Promise<{ readonly code: number | null; readonly stdout: string; readonly stderr: string }> {
  const child = cli(args, env);
  child.stdin?.end();
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => { stdout += text; });
  child.stderr?.setEncoding('utf8').on('data', (text: string) => { stderr += text; });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}
