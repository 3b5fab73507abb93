import { type Kysely, sql } from 'kysely';

// People who log in: users with a password, their sessions (only a hash of each token is kept),
// a per-username failure counter for the login lockout, and API keys that act as a user.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('app_user')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('username', 'text', (column) => column.notNull().unique())
    .addColumn('password_hash', 'text', (column) => column.notNull())
    .addColumn('role', 'text', (column) => column.notNull())
    .addColumn('borrower_id', 'text')
    .addColumn('display_name', 'text', (column) => column.notNull())
    .addColumn('preferred_language', 'text', (column) => column.notNull().defaultTo('zh-CN'))
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .addColumn('disabled_at', 'timestamptz')
    .addCheckConstraint('app_user_borrower_role', sql`(role = 'borrower') = (borrower_id IS NOT NULL)`)
    .addCheckConstraint('app_user_language', sql`preferred_language IN ('zh-CN', 'en')`)
    .execute();

  await db.schema
    .createTable('user_session')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('user_id', 'text', (column) => column.notNull().references('app_user.id'))
    .addColumn('token_hash', 'text', (column) => column.notNull().unique())
    .addColumn('csrf_token', 'text', (column) => column.notNull())
    .addColumn('created_at', 'timestamptz', (column) => column.notNull())
    .addColumn('last_seen_at', 'timestamptz', (column) => column.notNull())
    .addColumn('expires_at', 'timestamptz', (column) => column.notNull())
    .addColumn('revoked_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('user_session_user').on('user_session').column('user_id').execute();

  await db.schema
    .createTable('login_throttle')
    .addColumn('username', 'text', (column) => column.primaryKey())
    .addColumn('failed_count', 'integer', (column) => column.notNull())
    .addColumn('first_failed_at', 'timestamptz', (column) => column.notNull())
    .addColumn('locked_until', 'timestamptz')
    .execute();

  await db.schema.alterTable('api_key').addColumn('user_id', 'text', (column) => column.references('app_user.id')).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('api_key').dropColumn('user_id').execute();
  await db.schema.dropTable('login_throttle').execute();
  await db.schema.dropTable('user_session').execute();
  await db.schema.dropTable('app_user').execute();
}
