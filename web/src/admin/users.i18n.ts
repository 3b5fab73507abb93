import type { AreaStrings } from '../shell/i18n.ts';

// The administration area's user screens; other admin screens bring their own *.i18n.ts.

const strings: AreaStrings = {
  namespace: 'admin',
  'zh-CN': {
    users: {
      title: '用户', caption: '用户列表', username: '用户名', displayName: '姓名', role: '角色', language: '语言', status: '状态', active: '正常', disabled: '已停用',
      actions: '操作', manage: '管理', manageLabel: '管理用户 {{username}}', manageTitle: '管理用户 {{username}}',
      create: '新建用户', createSubmit: '创建用户', cancel: '取消', close: '关闭', sending: '正在提交…',
      usernameHint: '2 至 63 个小写字母、数字、点、短横线或下划线，例如 li.na。',
      usernameInvalid: '用户名格式不对或已被占用。',
      borrowerId: '借款人编号', borrowerIdHint: '借款人用户必须关联其借款人编号（以 brw_ 开头）；其他角色不填写。',
      borrowerIdInvalid: '借款人编号无效：借款人用户必须填写已存在的借款人编号。',
      roleInvalid: '请选择一个角色。',
      password: '初始密码', newPassword: '新密码',
      passwordHint: '{{minimum}} 至 {{maximum}} 个字符，建议使用一句容易记住的长句。请通过安全渠道告诉用户。',
      passwordInvalid: '密码长度须为 {{minimum}} 至 {{maximum}} 个字符。',
      created: '已创建用户 {{username}}，对方现在可以用该密码登录。',
      sessionsEnd: '修改角色、重置密码或停用后，该用户当前的登录会立即失效。',
      changeRole: '修改角色', newRole: '新角色', changeRoleSubmit: '保存角色', roleChanged: '已修改 {{username}} 的角色。',
      resetPassword: '重置密码', resetPasswordSubmit: '设置新密码', passwordReset: '已重置 {{username}} 的密码。',
      disable: '停用用户', disableExplained: '停用后该用户无法登录，关联的 API 密钥也将失效。此操作在界面上不能撤销。',
      disableSubmit: '停用此用户', disableConfirm: '确认停用 {{username}}', disabledDone: '已停用 {{username}}。', alreadyDisabled: '该用户已停用。',
    },
  },
  en: {
    users: {
      title: 'Users', caption: 'Users', username: 'Username', displayName: 'Name', role: 'Role', language: 'Language', status: 'Status', active: 'Active', disabled: 'Disabled',
      actions: 'Actions', manage: 'Manage', manageLabel: 'Manage user {{username}}', manageTitle: 'Manage user {{username}}',
      create: 'Create a user', createSubmit: 'Create the user', cancel: 'Cancel', close: 'Close', sending: 'Sending…',
      usernameHint: '2 to 63 lower-case letters, digits, dots, dashes or underscores, e.g. li.na.',
      usernameInvalid: 'That username is not valid or is taken.',
      borrowerId: 'Borrower id', borrowerIdHint: 'A borrower user is linked to their borrower id (starting brw_); leave it out for other roles.',
      borrowerIdInvalid: 'That borrower id is not valid: a borrower user needs the id of an existing borrower.',
      roleInvalid: 'Choose a role.',
      password: 'First password', newPassword: 'New password',
      passwordHint: '{{minimum}} to {{maximum}} characters; a long phrase is easy to remember. Give it to the user over a safe channel.',
      passwordInvalid: 'A password has {{minimum}} to {{maximum}} characters.',
      created: 'User {{username}} created; they can log in with that password now.',
      sessionsEnd: "Changing the role, resetting the password or disabling ends the user's sessions at once.",
      changeRole: 'Change the role', newRole: 'New role', changeRoleSubmit: 'Save the role', roleChanged: "{{username}}'s role changed.",
      resetPassword: 'Reset the password', resetPasswordSubmit: 'Set the new password', passwordReset: "{{username}}'s password reset.",
      disable: 'Disable the user', disableExplained: 'A disabled user cannot log in and their API keys stop working. This cannot be undone here.',
      disableSubmit: 'Disable this user', disableConfirm: 'Yes, disable {{username}}', disabledDone: '{{username}} disabled.', alreadyDisabled: 'This user is disabled.',
    },
  },
};
export default strings;
