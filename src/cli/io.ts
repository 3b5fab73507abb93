import { LenityError } from '../shared/errors.ts';
import { problemFromError } from '../http/problem.ts';

/** What a command reads and writes; tests give it strings, the real CLI the process streams. */
export interface CliIo {
  readStdin(): Promise<string>;
  stdout(text: string): void;
  stderr(text: string): void;
}

export const processIo: CliIo = {
  async readStdin() {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

export function createMemoryIo(stdinText = ''): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    readStdin: async () => stdinText,
    stdout: (text: string) => {
      io.out += text;
    },
    stderr: (text: string) => {
      io.err += text;
    },
  };
  return io;
}

/** Exit code for input errors (contract: exit 2 with problem details on standard error). */
export const EXIT_INPUT_ERROR = 2;

/** Thrown by a command to end with a given exit code after it has printed what it must. */
export class CliExit extends Error {
  readonly exitCode: number;
  constructor(exitCode: number) {
    super(`exit ${exitCode}`);
    this.exitCode = exitCode;
  }
}

/** Writes a failure as problem details JSON on standard error and returns the exit code. */
export function reportCliError(io: CliIo, error: unknown): number {
  if (error instanceof CliExit) return error.exitCode;
  const problem = problemFromError(error);
  io.stderr(`${JSON.stringify(problem)}\n`);
  if (error instanceof LenityError) return EXIT_INPUT_ERROR;
  // An unexpected failure: the operator needs its cause, not only the generic problem.
  io.stderr(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 1;
}

/** Splits JSON Lines input, skipping blank lines. */
export function splitJsonLines(text: string): string[] {
  return text.split('\n').map((line) => line.trim()).filter((line) => line.length > 0);
}
