import { readFileSync } from 'node:fs';
import type { RegisterCommand } from '../command.ts';
import { splitJsonLines } from '../io.ts';
import { problemFromError } from '../../http/problem.ts';
import { parseJson } from '../../shared/input.ts';
import { LenityError } from '../../shared/errors.ts';
import { parseContactRequest } from '../../compliance/contact-request.ts';
import { evaluateContact, type EvaluateContactOptions } from '../../compliance/evaluate-contact.ts';
import { parsePolicyOverlay } from '../../compliance/overlay.ts';

/**
 * `lenity compliance check`: one contract request on standard input, one decision on standard output
 * (exit 0); invalid input exits 2 with problem details on standard error. With `--jsonl`, one request
 * per line and one decision (or `{"error": problem}`) per line.
 *
 * @example echo '{"policy":"US","at":"2026-03-10T12:58:00Z","attempt":{"channel":"call","debtId":"A"}}' | lenity compliance check
 */
export const registerComplianceCommand: RegisterCommand = (program, context) => {
  const compliance = program.command('compliance').description('The contact gate: policy packs and decisions');
  compliance
    .command('check')
    .description('Decide whether a proposed contact attempt is allowed (compliance-check.md)')
    .option('--jsonl', 'one request per line in, one decision per line out')
    .option('--overlay <file>', "a lender overlay (JSON) that tightens the request's pack")
    .action(async (options: { jsonl?: boolean; overlay?: string }) => {
      const { io } = context;
      let evaluateOptions: EvaluateContactOptions = {};
      if (options.overlay) {
        let text: string;
        try {
          text = readFileSync(options.overlay, 'utf8');
        } catch (error) {
          throw new LenityError('VALIDATION_FAILED', `--overlay: cannot read "${options.overlay}" (${(error as Error).message})`, { field: '--overlay' });
        }
        evaluateOptions = { overlay: parsePolicyOverlay(parseJson(text, '--overlay')) };
      }
      const input = await io.readStdin();
      if (!options.jsonl) {
        const decision = evaluateContact(parseContactRequest(parseJson(input)), evaluateOptions);
        io.stdout(`${JSON.stringify(decision)}\n`);
        return;
      }
      let output = '';
      for (const line of splitJsonLines(input)) {
        try {
          output += `${JSON.stringify(evaluateContact(parseContactRequest(parseJson(line)), evaluateOptions))}\n`;
        } catch (error) {
          if (!(error instanceof LenityError)) {
            io.stdout(output);
            throw error;
          }
          output += `${JSON.stringify({ error: problemFromError(error) })}\n`;
        }
      }
      io.stdout(output);
    });
};
