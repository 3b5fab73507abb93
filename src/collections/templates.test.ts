import { describe, expect, it } from 'vitest';
import { PACK_IDS } from '../compliance/policy-pack.ts';
import { approveTemplate, DEFAULT_TEMPLATES, findDefaultTemplate, renderTemplate, substitute, TemplateError, templateVariables } from './templates.ts';

const VARIABLES = {
  lender: 'Lenity', name: 'Wang', amount: 'CNY 500.00', dueDate: '2026-03-10', phone: '400-000-0000', daysPastDue: '30',
  unsubscribeUrl: 'https://lender.example/u/1', loanReference: 'L-1', asOfDate: '2026-04-09', visitDate: '2026-05-12',
};

describe('templates', () => {
  it.each(DEFAULT_TEMPLATES.flatMap((template) => PACK_IDS.map((pack) => [template.id, pack, template] as const)))('%s passes the template check under %s and renders', (_, pack, template) => {
    const approved = approveTemplate(template, pack);
    const rendered = renderTemplate(approved, pack, VARIABLES);
    expect(rendered.body).not.toContain('{{');
  });

  it('ships every purpose in both languages', () => {
    for (const purpose of ['pre-due-reminder', 'due-day-reminder', 'dpd-1', 'dpd-3', 'email-notice', 'dpd-30-letter', 'field-visit-notice'] as const) {
      expect(findDefaultTemplate(purpose, 'zh-CN')).not.toBeNull();
      expect(findDefaultTemplate(purpose, 'en')).not.toBeNull();
    }
  });

  const cases: Array<[string, () => unknown, RegExp]> = [
    ['a missing variable names it', () => substitute('Due {{dueDate}} for {{amount}}', { dueDate: 'x' }), /"amount" is missing/],
    ['a US SMS without an opt-out is refused', () => approveTemplate({ ...findDefaultTemplate('dpd-1', 'en')!, body: 'Pay {{amount}} now.' }, 'US'), /OPT_OUT_MISSING/],
    ['prohibited wording in Chinese is refused', () => approveTemplate({ ...findDefaultTemplate('dpd-3', 'zh-CN')!, body: '再不还款就爆通讯录。回复TD退订' }, 'CN'), /PROHIBITED_WORDING/],
    ['prohibited wording in English is refused', () => approveTemplate({ ...findDefaultTemplate('dpd-3', 'en')!, body: 'Pay or we call the police. Reply STOP to opt out.' }, 'UK'), /PROHIBITED_WORDING/],
    ['a debt mention to a third party is refused', () => approveTemplate({ ...findDefaultTemplate('dpd-1', 'en')!, to: 'third-party', body: 'Tell Wang his loan is overdue. Reply STOP to opt out.' }, 'US'), /THIRD_PARTY_DISCLOSURE/],
    ['an unapproved template cannot be sent', () => renderTemplate({ ...findDefaultTemplate('dpd-1', 'en')!, approvedFor: 'CN' }, 'US', VARIABLES), /not approved for US/],
    ['a variable that brings prohibited wording is refused at render', () => renderTemplate(approveTemplate(findDefaultTemplate('dpd-1', 'en')!, 'US'), 'US', { ...VARIABLES, name: 'deadbeat' }), /PROHIBITED_WORDING/],
  ];
  it.each(cases)('%s', (_, run, message) => {
    expect(run).toThrow(TemplateError);
    expect(run).toThrow(message);
  });

  it('lists variables in order of first use', () => {
    expect(templateVariables('{{a}} {{ b }} {{a}}')).toEqual(['a', 'b']);
  });
});
