import type { RegisterCommand } from '../command.ts';
import { withDatabase } from '../database.ts';
import { createUser, disableUser, listUsers, resetPassword } from '../../identity/identity.service.ts';
import { createIdGenerator } from '../../shared/ids.ts';
import { createSystemRandom } from '../../shared/random.ts';
import { LenityError } from '../../shared/errors.ts';

/** The password comes on standard input (first line), never on the command line where `ps` shows it. */
async function passwordFromStdin(read: () => Promise<string>): Promise<string> {
  const password = (await read()).split(/\r?\n/)[0] ?? '';
  if (!password) throw new LenityError('VALIDATION_FAILED', 'password: give it on standard input', { field: 'password' });
  return password;
}

/**
 * `lenity users create|list|disable|password`: the first administrator of a new installation, and
 * user management from a shell (the same rules as `/v1/users`).
 */
export const registerUsersCommand: RegisterCommand = (program, context) => {
  const users = program.command('users').description('Users who log in to the web application');
  const services = () => {
    const ids = createIdGenerator(context.clock, createSystemRandom());
    return { ids, clock: context.clock };
  };

  users
    .command('create')
    .description('Create a user; the password is read from standard input')
    .requiredOption('--username <username>', 'lower-case letters, digits, dots, dashes, underscores')
    .requiredOption('--role <role>', 'admin, supervisor, agent, field-agent, compliance, borrower or integration')
    .option('--display-name <name>', 'the name shown in the application (default: the username)')
    .option('--language <language>', 'zh-CN or en', 'zh-CN')
    .option('--borrower-id <id>', 'for a borrower user: whose loans they see')
    .action(async (options: { username: string; role: string; displayName?: string; language: string; borrowerId?: string }) => {
      const password = await passwordFromStdin(() => context.io.readStdin());
      await withDatabase(context.environment, async (handle) => {
        const user = await createUser({ db: handle.db, ...services() }, {
          username: options.username, password, role: options.role, displayName: options.displayName ?? options.username,
          preferredLanguage: options.language, ...(options.borrowerId ? { borrowerId: options.borrowerId } : {}),
        });
        context.io.stdout(`${JSON.stringify(user)}\n`);
      });
    });

  users
    .command('list')
    .description('List users as JSON lines')
    .action(async () => {
      await withDatabase(context.environment, async (handle) => {
        let cursor = '';
        for (;;) {
          const page = await listUsers(handle.db, { cursor, limit: 200 });
          for (const user of page.items) context.io.stdout(`${JSON.stringify(user)}\n`);
          if (!page.nextCursor) break;
          cursor = page.nextCursor;
        }
      });
    });

  users
    .command('disable <id>')
    .description('Disable a user: their sessions end and their linked API keys stop working')
    .action(async (id: string) => {
      await withDatabase(context.environment, async (handle) => {
        context.io.stdout(`${JSON.stringify(await disableUser({ db: handle.db, ...services() }, id))}\n`);
      });
    });

  users
    .command('password <id>')
    .description("Set a user's password from standard input; their sessions end")
    .action(async (id: string) => {
      const password = await passwordFromStdin(() => context.io.readStdin());
      await withDatabase(context.environment, async (handle) => {
        context.io.stdout(`${JSON.stringify(await resetPassword({ db: handle.db, ...services() }, id, { password }))}\n`);
      });
    });
};
