import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES } from '../../../src/http/permissions.ts';
import { PASSWORD_MAXIMUM_LENGTH, PASSWORD_MINIMUM_LENGTH } from '../../../src/identity/session-rules.ts';
import { api, ApiError } from '../shell/api.ts';
import type { Screen } from '../shell/areas.ts';
import { DataTable, ErrorMessage, Field, Loaded, Page, useLoad } from '../shell/components.tsx';
import { LANGUAGES } from '../shell/i18n.ts';

/**
 * Administration of users: the list, creating a user, and per user changing the role, resetting the
 * password and disabling — all through `/v1/users` (`admin:users`). The server checks the rules
 * (username form, password length, a borrower id exactly for borrower users) and the screen shows
 * its answer at the field it names.
 */

interface User {
  id: string;
  username: string;
  displayName: string;
  role: string;
  borrowerId: string | null;
  preferredLanguage: string;
  disabledAt: string | null;
}

/** The field a refusal names, or null. */
function fieldOf(error: unknown): string | null {
  return error instanceof ApiError && typeof error.problem.field === 'string' ? error.problem.field.replace(/^body\./, '') : null;
}

/** The server's words for a refusal of `field`, after our own explanation. */
function errorAt(error: unknown, field: string, message: string): string | null {
  if (fieldOf(error) !== field) return null;
  const detail = error instanceof ApiError ? error.problem.detail : undefined;
  return detail ? `${message} (${detail})` : message;
}

function useAction() {
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  async function run<T>(call: () => Promise<T>): Promise<T | undefined> {
    setSending(true);
    setError(null);
    try {
      return await call();
    } catch (caught) {
      setError(caught);
      return undefined;
    } finally {
      setSending(false);
    }
  }
  return { run, sending, error };
}

function RoleSelect({ value, onChange, props }: { value: string; onChange: (role: string) => void; props: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean } }) {
  const { t } = useTranslation(['admin', 'common']);
  return (
    <select {...props} value={value} onChange={(event) => onChange(event.target.value)}>
      {ROLES.map((role) => <option key={role} value={role}>{t(`common:roles.${role}`)}</option>)}
    </select>
  );
}

function CreateUserForm({ onCreated }: { onCreated: (user: User) => void }) {
  const { t } = useTranslation(['admin', 'common']);
  const empty = { username: '', displayName: '', role: 'agent', borrowerId: '', preferredLanguage: 'zh-CN', password: '' };
  const [form, setForm] = useState(empty);
  const { run, sending, error } = useAction();
  const change = (part: Partial<typeof empty>) => setForm((current) => ({ ...current, ...part }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const body = {
      username: form.username.trim(), displayName: form.displayName.trim(), role: form.role, preferredLanguage: form.preferredLanguage, password: form.password,
      ...(form.role === 'borrower' || form.borrowerId.trim() ? { borrowerId: form.borrowerId.trim() } : {}),
    };
    const created = await run(() => api.post<User>('/v1/users', body));
    if (created) {
      setForm(empty);
      onCreated(created);
    }
  };
  const usernameError = errorAt(error, 'username', t('users.usernameInvalid'));
  const passwordError = errorAt(error, 'password', t('users.passwordInvalid', { minimum: PASSWORD_MINIMUM_LENGTH, maximum: PASSWORD_MAXIMUM_LENGTH }));
  const borrowerError = errorAt(error, 'borrowerId', t('users.borrowerIdInvalid'));
  const roleError = errorAt(error, 'role', t('users.roleInvalid'));

  return (
    <form onSubmit={(event) => void submit(event)} noValidate aria-labelledby="create-user" className="card">
      <h2 id="create-user">{t('users.create')}</h2>
      <Field label={t('users.username')} hint={t('users.usernameHint')} error={usernameError}>
        {(props) => <input {...props} autoComplete="off" autoCapitalize="none" value={form.username} onChange={(event) => change({ username: event.target.value })} />}
      </Field>
      <Field label={t('users.displayName')}>
        {(props) => <input {...props} autoComplete="off" value={form.displayName} onChange={(event) => change({ displayName: event.target.value })} />}
      </Field>
      <Field label={t('users.role')} error={roleError}>
        {(props) => <RoleSelect props={props} value={form.role} onChange={(role) => change({ role })} />}
      </Field>
      {form.role === 'borrower' ? (
        <Field label={t('users.borrowerId')} hint={t('users.borrowerIdHint')} error={borrowerError}>
          {(props) => <input {...props} autoComplete="off" value={form.borrowerId} onChange={(event) => change({ borrowerId: event.target.value })} />}
        </Field>
      ) : null}
      <Field label={t('users.language')}>
        {(props) => (
          <select {...props} value={form.preferredLanguage} onChange={(event) => change({ preferredLanguage: event.target.value })}>
            {LANGUAGES.map((language) => <option key={language} value={language}>{t(`common:languages.${language}`)}</option>)}
          </select>
        )}
      </Field>
      <Field label={t('users.password')} hint={t('users.passwordHint', { minimum: PASSWORD_MINIMUM_LENGTH, maximum: PASSWORD_MAXIMUM_LENGTH })} error={passwordError}>
        {(props) => <input {...props} type="password" autoComplete="new-password" value={form.password} onChange={(event) => change({ password: event.target.value })} />}
      </Field>
      {error && !(usernameError || passwordError || borrowerError || roleError) ? <ErrorMessage error={error} /> : null}
      <button type="submit" className="primary" disabled={sending}>{sending ? t('users.sending') : t('users.createSubmit')}</button>
    </form>
  );
}

function ManageUser({ user, onChanged, onClose }: { user: User; onChanged: (message: string) => void; onClose: () => void }) {
  const { t } = useTranslation(['admin', 'common']);
  const [role, setRole] = useState(user.role);
  const [borrowerId, setBorrowerId] = useState(user.borrowerId ?? '');
  const [password, setPassword] = useState('');
  const [confirmDisable, setConfirmDisable] = useState(false);
  const roleAction = useAction();
  const passwordAction = useAction();
  const disableAction = useAction();
  const path = `/v1/users/${encodeURIComponent(user.id)}`;

  const changeRole = async (event: FormEvent) => {
    event.preventDefault();
    const body = { role, ...(role === 'borrower' ? { borrowerId: borrowerId.trim() } : {}) };
    if (await roleAction.run(() => api.post<User>(`${path}/role`, body))) onChanged(t('users.roleChanged', { username: user.username }));
  };
  const resetPassword = async (event: FormEvent) => {
    event.preventDefault();
    if (await passwordAction.run(() => api.post<User>(`${path}/password`, { password }))) {
      setPassword('');
      onChanged(t('users.passwordReset', { username: user.username }));
    }
  };
  const disable = async () => {
    if (await disableAction.run(() => api.post<User>(`${path}/disable`))) onChanged(t('users.disabledDone', { username: user.username }));
  };
  const roleBorrowerError = errorAt(roleAction.error, 'borrowerId', t('users.borrowerIdInvalid'));
  const passwordError = errorAt(passwordAction.error, 'password', t('users.passwordInvalid', { minimum: PASSWORD_MINIMUM_LENGTH, maximum: PASSWORD_MAXIMUM_LENGTH }));

  return (
    <section className="card" aria-labelledby="manage-user">
      <h2 id="manage-user">{t('users.manageTitle', { username: user.username })}</h2>
      <p className="hint">{t('users.sessionsEnd')}</p>
      <form onSubmit={(event) => void changeRole(event)} noValidate>
        <h3>{t('users.changeRole')}</h3>
        <Field label={t('users.newRole')}>
          {(props) => <RoleSelect props={props} value={role} onChange={setRole} />}
        </Field>
        {role === 'borrower' ? (
          <Field label={t('users.borrowerId')} hint={t('users.borrowerIdHint')} error={roleBorrowerError}>
            {(props) => <input {...props} autoComplete="off" value={borrowerId} onChange={(event) => setBorrowerId(event.target.value)} />}
          </Field>
        ) : null}
        {roleAction.error && !roleBorrowerError ? <ErrorMessage error={roleAction.error} /> : null}
        <button type="submit" disabled={roleAction.sending || role === user.role}>{t('users.changeRoleSubmit')}</button>
      </form>
      <form onSubmit={(event) => void resetPassword(event)} noValidate>
        <h3>{t('users.resetPassword')}</h3>
        <Field label={t('users.newPassword')} hint={t('users.passwordHint', { minimum: PASSWORD_MINIMUM_LENGTH, maximum: PASSWORD_MAXIMUM_LENGTH })} error={passwordError}>
          {(props) => <input {...props} type="password" autoComplete="new-password" value={password} onChange={(event) => setPassword(event.target.value)} />}
        </Field>
        {passwordAction.error && !passwordError ? <ErrorMessage error={passwordAction.error} /> : null}
        <button type="submit" disabled={passwordAction.sending}>{t('users.resetPasswordSubmit')}</button>
      </form>
      <h3>{t('users.disable')}</h3>
      {user.disabledAt ? <p>{t('users.alreadyDisabled')}</p> : (
        <>
          <p>{t('users.disableExplained')}</p>
          {confirmDisable ? (
            <p className="page-actions">
              <button type="button" className="primary" onClick={() => void disable()} disabled={disableAction.sending}>{t('users.disableConfirm', { username: user.username })}</button>
              <button type="button" onClick={() => setConfirmDisable(false)}>{t('users.cancel')}</button>
            </p>
          ) : <button type="button" onClick={() => setConfirmDisable(true)}>{t('users.disableSubmit')}</button>}
          {disableAction.error ? <ErrorMessage error={disableAction.error} /> : null}
        </>
      )}
      <p><button type="button" onClick={onClose}>{t('users.close')}</button></p>
    </section>
  );
}

function UsersScreen() {
  const { t } = useTranslation(['admin', 'common']);
  const users = useLoad(() => api.get<{ items: User[] }>('/v1/users?limit=200'), []);
  const [creating, setCreating] = useState(false);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  return (
    <Page title={t('users.title')} actions={creating ? null : <button type="button" className="primary" onClick={() => { setCreating(true); setMessage(null); }}>{t('users.create')}</button>}>
      {message ? <p className="success" role="status">{message}</p> : null}
      {creating ? (
        <>
          <CreateUserForm onCreated={(user) => { setCreating(false); setMessage(t('users.created', { username: user.username })); users.reload(); }} />
          <p><button type="button" onClick={() => setCreating(false)}>{t('users.cancel')}</button></p>
        </>
      ) : null}
      <Loaded state={users}>
        {(data) => {
          const selected = data.items.find((user) => user.id === selectedId);
          return (
            <>
              {selected ? (
                <ManageUser key={selected.id} user={selected} onClose={() => setSelectedId(null)}
                  onChanged={(text) => { setMessage(text); setSelectedId(null); users.reload(); }} />
              ) : null}
              <DataTable
                caption={t('users.caption')}
                rows={data.items}
                rowKey={(user) => user.id}
                columns={[
                  { key: 'username', header: t('users.username'), cell: (user) => user.username },
                  { key: 'name', header: t('users.displayName'), cell: (user) => user.displayName },
                  { key: 'role', header: t('users.role'), cell: (user) => t(`common:roles.${user.role}`) },
                  { key: 'language', header: t('users.language'), cell: (user) => t(`common:languages.${user.preferredLanguage}`) },
                  { key: 'status', header: t('users.status'), cell: (user) => (user.disabledAt ? t('users.disabled') : t('users.active')) },
                  {
                    key: 'actions', header: t('users.actions'),
                    cell: (user) => <button type="button" aria-label={t('users.manageLabel', { username: user.username })} onClick={() => { setSelectedId(user.id); setMessage(null); }}>{t('users.manage')}</button>,
                  },
                ]}
              />
            </>
          );
        }}
      </Loaded>
    </Page>
  );
}

export const screens: Screen[] = [
  { path: '/admin/users', area: 'admin', permission: 'admin:users', titleKey: 'admin:users.title', navigation: true, component: UsersScreen },
];
