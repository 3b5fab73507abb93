import { checkTemplate, type TemplateFinding } from '../compliance/template-check.ts';
import type { PackId, Recipient } from '../compliance/policy-pack.ts';
import type { ChannelKind, MessageLanguage } from './channels/message-channel.ts';

/**
 * Message templates per language with `{{variable}}` placeholders. A template is approved only when
 * the contact gate's template check passes for the pack it will be used under; only an approved
 * template renders, and the rendered text is checked again (a variable could bring in a word the
 * template itself did not have).
 */
export type TemplatePurpose = 'pre-due-reminder' | 'due-day-reminder' | 'dpd-1' | 'dpd-3' | 'email-notice' | 'dpd-30-letter' | 'field-visit-notice' | 'call-script';

export interface MessageTemplate {
  id: string;
  purpose: TemplatePurpose;
  language: MessageLanguage;
  channel: ChannelKind;
  to: Recipient;
  subject: string | null;
  body: string;
}

export interface ApprovedTemplate extends MessageTemplate {
  readonly approvedFor: PackId;
}

export class TemplateError extends Error {
  readonly findings: TemplateFinding[];
  constructor(message: string, findings: TemplateFinding[] = []) {
    super(message);
    this.name = 'TemplateError';
    this.findings = findings;
  }
}

const PLACEHOLDER = /\{\{\s*([a-zA-Z][a-zA-Z0-9_]*)\s*\}\}/g;
const MAXIMUM_TEMPLATE_LENGTH = 5_000;
const MAXIMUM_VARIABLE_LENGTH = 500;

/** The variables a template uses, in order of first use. @example templateVariables('Hi {{name}}') // ['name'] */
export function templateVariables(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(PLACEHOLDER)) if (!names.includes(match[1]!)) names.push(match[1]!);
  return names;
}

/**
 * Substitutes `{{variable}}` placeholders; a missing variable is an error naming it.
 *
 * @example substitute('Due {{dueDate}}', { dueDate: '2026-03-10' }) // "Due 2026-03-10"
 */
export function substitute(text: string, variables: Readonly<Record<string, string>>): string {
  return text.replace(PLACEHOLDER, (_, name: string) => {
    const value = variables[name];
    if (value === undefined) throw new TemplateError(`Template variable "${name}" is missing.`);
    if (value.length > MAXIMUM_VARIABLE_LENGTH) throw new TemplateError(`Template variable "${name}" is longer than ${MAXIMUM_VARIABLE_LENGTH} characters.`);
    return value;
  });
}

/**
 * Approves a template for a pack when the gate's template check finds nothing; otherwise throws a
 * TemplateError listing the findings.
 *
 * @example const approved = approveTemplate(DEFAULT_TEMPLATES[0], 'CN')
 */
export function approveTemplate(template: MessageTemplate, policy: PackId): ApprovedTemplate {
  if (template.body.length === 0 || template.body.length > MAXIMUM_TEMPLATE_LENGTH) throw new TemplateError(`A template body holds 1 to ${MAXIMUM_TEMPLATE_LENGTH} characters.`);
  const text = [template.subject ?? '', template.body].join('\n');
  const result = checkTemplate({ policy, channel: template.channel, to: template.to, text });
  if (!result.ok) throw new TemplateError(`Template "${template.id}" fails the template check for ${policy}: ${result.findings.map((finding) => `${finding.code} (${finding.rule})`).join(', ')}`, result.findings);
  return Object.freeze({ ...template, approvedFor: policy });
}

/**
 * Renders an approved template for the pack it was approved for; the rendered text is checked again.
 *
 * @example renderTemplate(approved, 'CN', { name: '王先生', amount: '¥500.00', dueDate: '3月10日' }) // { subject: null, body: '…' }
 */
export function renderTemplate(template: ApprovedTemplate, policy: PackId, variables: Readonly<Record<string, string>>): { subject: string | null; body: string } {
  if (!('approvedFor' in template) || template.approvedFor !== policy) throw new TemplateError(`Template "${template.id}" is not approved for ${policy}; it cannot be sent.`);
  const subject = template.subject === null ? null : substitute(template.subject, variables);
  const body = substitute(template.body, variables);
  const result = checkTemplate({ policy, channel: template.channel, to: template.to, text: `${subject ?? ''}\n${body}` });
  if (!result.ok) throw new TemplateError(`The rendered text of "${template.id}" fails the template check: ${result.findings.map((finding) => finding.code).join(', ')}`, result.findings);
  return { subject, body };
}

/**
 * The shipped templates, Chinese and English. Every one passes the template check under every pack
 * (electronic ones carry an opt-out line, the field-visit notice says nothing threatening).
 */
export const DEFAULT_TEMPLATES: readonly MessageTemplate[] = [
  { id: 'pre-due-reminder.zh-CN', purpose: 'pre-due-reminder', language: 'zh-CN', channel: 'sms', to: 'borrower', subject: null,
    body: '【{{lender}}】{{name}}您好，您本期应还{{amount}}，还款日为{{dueDate}}。如已还款请忽略。回复TD退订' },
  { id: 'pre-due-reminder.en', purpose: 'pre-due-reminder', language: 'en', channel: 'sms', to: 'borrower', subject: null,
    body: '{{lender}}: Hi {{name}}, your payment of {{amount}} is due on {{dueDate}}. Ignore this if you have paid. Reply STOP to opt out.' },
  { id: 'due-day-reminder.zh-CN', purpose: 'due-day-reminder', language: 'zh-CN', channel: 'sms', to: 'borrower', subject: null,
    body: '【{{lender}}】{{name}}您好，今天是您的还款日，应还{{amount}}。可在应用内完成还款。回复TD退订' },
  { id: 'due-day-reminder.en', purpose: 'due-day-reminder', language: 'en', channel: 'sms', to: 'borrower', subject: null,
    body: '{{lender}}: Hi {{name}}, your payment of {{amount}} is due today. You can pay in the app. Reply STOP to opt out.' },
  { id: 'dpd-1.zh-CN', purpose: 'dpd-1', language: 'zh-CN', channel: 'sms', to: 'borrower', subject: null,
    body: '【{{lender}}】{{name}}您好，您{{dueDate}}的还款{{amount}}尚未收到。如有困难，可在应用内申请调整还款计划。回复TD退订' },
  { id: 'dpd-1.en', purpose: 'dpd-1', language: 'en', channel: 'sms', to: 'borrower', subject: null,
    body: '{{lender}}: Hi {{name}}, we have not yet received your payment of {{amount}} due {{dueDate}}. If you are struggling, you can ask for a new payment plan in the app. Reply STOP to opt out.' },
  { id: 'dpd-3.zh-CN', purpose: 'dpd-3', language: 'zh-CN', channel: 'sms', to: 'borrower', subject: null,
    body: '【{{lender}}】{{name}}您好，您的还款已逾期3天，应还{{amount}}。请尽快还款或联系我们商量方案：{{phone}}。回复TD退订' },
  { id: 'dpd-3.en', purpose: 'dpd-3', language: 'en', channel: 'sms', to: 'borrower', subject: null,
    body: '{{lender}}: Hi {{name}}, your payment of {{amount}} is 3 days late. Please pay or call us on {{phone}} to agree a plan. Reply STOP to opt out.' },
  { id: 'email-notice.zh-CN', purpose: 'email-notice', language: 'zh-CN', channel: 'email', to: 'borrower', subject: '{{lender}}还款提醒',
    body: '{{name}}您好：\n\n您的账户目前逾期{{daysPastDue}}天，应还金额为{{amount}}。您可以在应用内还款，也可以申请延期或调整还款计划。\n\n如有疑问，请致电{{phone}}（每天8:00–20:00）。\n\n{{lender}}\n\n如不希望再收到此类邮件，请点击退订：{{unsubscribeUrl}}' },
  { id: 'email-notice.en', purpose: 'email-notice', language: 'en', channel: 'email', to: 'borrower', subject: '{{lender}}: about your payment',
    body: 'Dear {{name}},\n\nYour account is {{daysPastDue}} days past due and {{amount}} is owed. You can pay in the app, or ask us for more time or a new payment plan.\n\nQuestions? Call {{phone}} (8:00–20:00 every day).\n\n{{lender}}\n\nTo unsubscribe from these emails: {{unsubscribeUrl}}' },
  { id: 'dpd-30-letter.zh-CN', purpose: 'dpd-30-letter', language: 'zh-CN', channel: 'letter', to: 'borrower', subject: '关于您账户逾期的通知',
    body: '尊敬的{{name}}：\n\n您在{{lender}}的借款（合同编号{{loanReference}}）已逾期{{daysPastDue}}天，截至{{asOfDate}}应还金额为{{amount}}。\n\n如果您暂时无法全额还款，请与我们联系，我们可以商量延期、分期或调整还款计划。您也有权对账目提出异议。\n\n联系电话：{{phone}}\n\n{{lender}}' },
  { id: 'dpd-30-letter.en', purpose: 'dpd-30-letter', language: 'en', channel: 'letter', to: 'borrower', subject: 'Your account is 30 days past due',
    body: 'Dear {{name}},\n\nYour loan {{loanReference}} with {{lender}} is {{daysPastDue}} days past due. On {{asOfDate}} the amount owed was {{amount}}.\n\nIf you cannot pay in full, please contact us: we can agree more time, instalments or a new payment plan. You also have the right to dispute this amount.\n\nPhone: {{phone}}\n\n{{lender}}' },
  { id: 'field-visit-notice.zh-CN', purpose: 'field-visit-notice', language: 'zh-CN', channel: 'letter', to: 'borrower', subject: '上门沟通预约通知',
    body: '尊敬的{{name}}：\n\n由于我们多次未能通过电话和短信与您取得联系，{{lender}}的两名工作人员拟于{{visitDate}}前往您登记的地址，与您当面沟通还款安排。\n\n如该时间不方便，或您希望改为电话沟通，请致电{{phone}}，我们将另行安排。\n\n{{lender}}' },
  { id: 'field-visit-notice.en', purpose: 'field-visit-notice', language: 'en', channel: 'letter', to: 'borrower', subject: 'We would like to visit you',
    body: 'Dear {{name}},\n\nWe have not been able to reach you by phone or text, so two members of the {{lender}} team plan to visit your registered address on {{visitDate}} to talk about your payments.\n\nIf that time does not suit you, or you would rather talk by phone, please call {{phone}} and we will change it.\n\n{{lender}}' },
  { id: 'call-script.zh-CN', purpose: 'call-script', language: 'zh-CN', channel: 'call', to: 'borrower', subject: null,
    body: '您好，请问是{{name}}本人吗？我是{{lender}}的工作人员，想和您沟通一下账户的还款安排。您目前应还{{amount}}，请问您方便什么时候还款？如果有困难，我们可以商量延期或调整还款计划。' },
  { id: 'call-script.en', purpose: 'call-script', language: 'en', channel: 'call', to: 'borrower', subject: null,
    body: 'Hello, am I speaking with {{name}}? I am calling from {{lender}} about your account. The amount due is {{amount}}. When would you be able to pay? If things are difficult, we can talk about more time or a new payment plan.' },
];

/**
 * The default template for a purpose and language.
 *
 * @example findDefaultTemplate('dpd-1', 'zh-CN')?.channel // "sms"
 */
export function findDefaultTemplate(purpose: TemplatePurpose, language: MessageLanguage): MessageTemplate | null {
  return DEFAULT_TEMPLATES.find((template) => template.purpose === purpose && template.language === language) ?? null;
}
