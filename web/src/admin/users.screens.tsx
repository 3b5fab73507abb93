import { useTranslation } from 'react-i18next';
import { api } from '../shell/api.ts';
import type { Screen } from '../shell/areas.ts';
import { DataTable, Loaded, Page, useLoad } from '../shell/components.tsx';

interface User {
  id: string;
  username: string;
  displayName: string;
  role: string;
  preferredLanguage: string;
  disabledAt: string | null;
}

function UsersScreen() {
  const { t } = useTranslation(['admin', 'common']);
  const users = useLoad(() => api.get<{ items: User[] }>('/v1/users?limit=200'), []);
  return (
    <Page title={t('users.title')}>
      <Loaded state={users}>
        {(data) => (
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
            ]}
          />
        )}
      </Loaded>
    </Page>
  );
}

export const screens: Screen[] = [
  { path: '/admin/users', area: 'admin', permission: 'admin:users', titleKey: 'admin:users.title', navigation: true, component: UsersScreen },
];
