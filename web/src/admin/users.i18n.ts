import type { AreaStrings } from '../shell/i18n.ts';

// The administration area's user screens; other admin screens bring their own *.i18n.ts.

const strings: AreaStrings = {
  namespace: 'admin',
  'zh-CN': {
    users: { title: '用户', caption: '用户列表', username: '用户名', displayName: '姓名', role: '角色', language: '语言', status: '状态', active: '正常', disabled: '已停用' },
  },
  en: {
    users: { title: 'Users', caption: 'Users', username: 'Username', displayName: 'Name', role: 'Role', language: 'Language', status: 'Status', active: 'Active', disabled: 'Disabled' },
  },
};
export default strings;
