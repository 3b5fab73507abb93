import type { Channel, PackId, Recipient } from './policy-pack.ts';

/**
 * Content checks for message templates, in English and Chinese. Collections runs them when a template
 * is saved and again on the rendered text before it is sent; the contact gate itself only sees the
 * `disclosesDebt` flag these checks justify.
 */
export type TemplateFindingCode = 'OPT_OUT_MISSING' | 'THIRD_PARTY_DISCLOSURE' | 'PROHIBITED_WORDING' | 'TIME_BARRED_SUIT_THREAT';

export interface TemplateFinding {
  code: TemplateFindingCode;
  rule: string;
  message: string;
  /** The text that triggered the finding. */
  match: string;
}

export interface TemplateCheckInput {
  policy: PackId;
  channel: Channel;
  /** Who the message is for. */
  to: Recipient;
  text: string;
  /** The debt is past its statute of limitations: threatening to sue on it is prohibited (12 CFR 1006.26(b)). */
  timeBarred?: boolean;
}

export interface TemplateCheckResult {
  ok: boolean;
  findings: TemplateFinding[];
}

// How a recipient can opt out of electronic messages (US-14): reply STOP, unsubscribe, opt out, 退订.
const OPT_OUT_PATTERN = /\b(reply\s+stop|text\s+stop|unsubscribe|opt[\s-]?out)\b|退订|回复\s*TD|\{\{\s*opt_?out[a-z_]*\s*\}\}/i;

// Words that tell a third party there is a debt, its amount or its age.
const DEBT_PATTERNS: readonly RegExp[] = [
  /\b(debts?|owes?|owed|owing|overdue|past[\s-]due|arrears?|delinquen\w*|collections?|balance|outstanding|repay\w*|loans?|default\w*|late payments?)\b/i,
  /[$£¥€]\s?\d|\b\d[\d,.]*\s?(dollars|pounds|yuan|rmb|cny|usd|gbp)\b/i,
  /欠款|欠债|债务|逾期|还款|借款|贷款|催收|欠费|拖欠|未还|账单|本金|利息|\d\s*元/,
];

interface ProhibitedPattern {
  pattern: RegExp;
  what: string;
}

// Threats, insults, impersonating authorities, spreading private information, extra fees and pushing
// into new borrowing (15 USC 1692d–1692e; 12 CFR 1006.14, 1006.18; CN-08; CONC 7.9.4R).
const PROHIBITED: readonly ProhibitedPattern[] = [
  { what: 'a threat of violence or arrest', pattern: /\b(arrest(ed)?|jail|prison|imprison\w*|hurt you|harm you|kill|beat you|break your|you will regret|we know where you live|we will find you)\b/i },
  { what: 'a threat of violence or arrest', pattern: /坐牢|拘留|抓你|逮捕|打断|弄死|后果自负|小心你|走着瞧|让你好看|找上门/ },
  { what: 'an insult', pattern: /\b(idiot|stupid|deadbeat|loser|scum|liar|thief|worthless|moron|cheat(er)?)\b/i },
  { what: 'an insult', pattern: /老赖|骗子|不要脸|废物|垃圾|无赖|人渣|混蛋/ },
  {
    what: 'impersonating an authority',
    pattern: /\b(police|sheriff|fbi|marshal|court officer|law enforcement|government agency|attorney general|federal agent|bailiff|enforcement officer)\b/i,
  },
  { what: 'impersonating an authority', pattern: /公安|警察|法院|检察院|法官|执法|司法机关|政府部门|律师函/ },
  { what: 'spreading private information', pattern: /\b(tell your (family|employer|boss|friends|neighbou?rs|contacts)|publish your|post your (name|photo)|expose you)\b/i },
  { what: 'spreading private information', pattern: /通讯录|曝光|公开你|告诉你的(家人|同事|领导|朋友)|爆通讯录/ },
  { what: 'an extra fee', pattern: /\b(collection fee|processing fee|penalty fee of|extra charge)\b/i },
  { what: 'an extra fee', pattern: /手续费|催收费|额外费用/ },
  { what: 'pushing into new borrowing', pattern: /\b(borrow (from|money)|take (out )?(another|a new) loan|payday loan|credit card to pay)\b/i },
  { what: 'pushing into new borrowing', pattern: /以贷养贷|借钱还|再借一笔|网贷还|信用卡套现/ },
];

const SUIT_PATTERN = /\b(sue|suing|sued|lawsuit|legal action|court|judgment|litigation)\b|起诉|诉讼|法律行动|法院|打官司/i;

/**
 * Checks a message template or rendered text: electronic messages carry an opt-out (US-14), messages
 * to third parties never mention the debt (US-17, UK-02, CN-07), and prohibited wording is refused in
 * English and Chinese (CN-08 and the FDCPA's harassment and false-representation rules), including a
 * threat to sue on a time-barred debt.
 *
 * @example
 * checkTemplate({ policy: 'US', channel: 'sms', to: 'borrower', text: 'Your payment is due. Reply STOP to opt out.' })
 * // { ok: true, findings: [] }
 */
export function checkTemplate(input: TemplateCheckInput): TemplateCheckResult {
  const findings: TemplateFinding[] = [];
  const text = input.text;
  const american = input.policy === 'US' || input.policy === 'US-MA';
  if (american && (input.channel === 'sms' || input.channel === 'email') && !OPT_OUT_PATTERN.test(text)) {
    findings.push({
      code: 'OPT_OUT_MISSING',
      rule: 'US-14',
      message: 'An electronic message must tell the recipient how to opt out of further messages, e.g. "Reply STOP to opt out" (12 CFR 1006.6(e)).',
      match: '',
    });
  }
  if (input.to === 'third-party') {
    for (const pattern of DEBT_PATTERNS) {
      const match = pattern.exec(text);
      if (match) {
        findings.push({
          code: 'THIRD_PARTY_DISCLOSURE',
          rule: thirdPartyRule(input.policy),
          message: `A message to a third party must not mention the debt, its amount or its age; "${match[0]}" does.`,
          match: match[0],
        });
        break;
      }
    }
  }
  const reported = new Set<string>();
  for (const { pattern, what } of PROHIBITED) {
    const match = pattern.exec(text);
    if (match && !reported.has(what)) {
      reported.add(what);
      findings.push({ code: 'PROHIBITED_WORDING', rule: prohibitedRule(input.policy), message: `The text contains ${what}: "${match[0]}".`, match: match[0] });
    }
  }
  if (input.timeBarred) {
    const match = SUIT_PATTERN.exec(text);
    if (match) {
      findings.push({
        code: 'TIME_BARRED_SUIT_THREAT',
        rule: prohibitedRule(input.policy),
        message: `The debt is time-barred: the text must not threaten or suggest legal action ("${match[0]}") (12 CFR 1006.26(b)).`,
        match: match[0],
      });
    }
  }
  return { ok: findings.length === 0, findings };
}

function thirdPartyRule(policy: PackId): string {
  if (policy === 'CN') return 'CN-07';
  if (policy === 'UK') return 'UK-02';
  return 'US-17';
}

function prohibitedRule(policy: PackId): string {
  if (policy === 'CN') return 'CN-08';
  if (policy === 'UK') return 'UK-01';
  return 'FLOOR-WORDING';
}
