import type { ColumnType } from 'kysely';

/** Users, their sessions and the login lockout counters (migration 0030-identity). */
export interface IdentityTables {
  app_user: {
    id: string;
    username: string;
    /** `scrypt$N$r$p$salt$hash`: the parameters travel with the hash so they can be raised later. */
    password_hash: string;
    role: string;
    borrower_id: string | null;
    display_name: string;
    preferred_language: string;
    created_at: ColumnType<Date, Date | undefined, never>;
    disabled_at: Date | null;
  };
  user_session: {
    id: string;
    user_id: string;
    /** SHA-256 of the cookie's token; the token itself is never stored. */
    token_hash: string;
    csrf_token: string;
    created_at: Date;
    last_seen_at: Date;
    expires_at: Date;
    revoked_at: Date | null;
  };
  login_throttle: {
    /** Lower-cased username, whether or not such a user exists, so the lockout reveals nothing. */
    username: string;
    failed_count: number;
    first_failed_at: Date;
    locked_until: Date | null;
  };
}
