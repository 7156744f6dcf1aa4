import { hostname } from 'node:os';

/**
 * The default worker id, `<hostname>-<pid>` as the Java library's, so events of two processes on one host stay
 * apart. Containers and pods set HOSTNAME; it wins over the OS call.
 */
export function defaultWorkerId(): string {
  const fromEnvironment = process.env.HOSTNAME?.trim();
  return `${fromEnvironment || hostname() || 'localhost'}-${process.pid}`;
}
