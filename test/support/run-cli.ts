import { main } from '../../src/cli/main.js';
import type { SecretInput } from '../../src/cli/read-secret.js';

/** Runs the CLI in-process and captures what it prints; `stdin` feeds secrets (PINs). */
export async function runCli(
  args: string[],
  stdin?: SecretInput,
): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
  const code = await main(args, stdin ? { ...io, stdin } : io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}
