import { describe, expect, it } from 'vitest';
import { checkTemplate } from './template-check.ts';

describe('checkTemplate', () => {
  it.each([
    ['US SMS with an opt-out', { policy: 'US', channel: 'sms', to: 'borrower', text: 'Your payment of $50 is due. Reply STOP to opt out.' }, []],
    ['US SMS without an opt-out', { policy: 'US', channel: 'sms', to: 'borrower', text: 'Your payment of $50 is due.' }, ['OPT_OUT_MISSING']],
    ['US email with unsubscribe', { policy: 'US-MA', channel: 'email', to: 'borrower', text: 'Statement attached. Unsubscribe: {{link}}' }, []],
    ['US letter needs no opt-out', { policy: 'US', channel: 'letter', to: 'borrower', text: 'Your balance is $120.' }, []],
    ['CN SMS needs no US opt-out', { policy: 'CN', channel: 'sms', to: 'borrower', text: '您的账单已到期，请及时还款。' }, []],
    ['third party told of the debt (English)', { policy: 'US', channel: 'call', to: 'third-party', text: 'We are calling about the debt John owes.' }, ['THIRD_PARTY_DISCLOSURE']],
    ['third party told of the debt (Chinese)', { policy: 'CN', channel: 'call', to: 'third-party', text: '请转告他尽快处理逾期欠款。' }, ['THIRD_PARTY_DISCLOSURE']],
    ['third party location message is fine', { policy: 'UK', channel: 'call', to: 'third-party', text: 'Please ask John to call Sam on 020 7946 0000.' }, []],
    ['threat of arrest', { policy: 'US', channel: 'call', to: 'borrower', text: 'Pay now or you will be arrested.' }, ['PROHIBITED_WORDING']],
    ['insult in Chinese', { policy: 'CN', channel: 'call', to: 'borrower', text: '你这个老赖，赶紧还钱' }, ['PROHIBITED_WORDING']],
    ['impersonating the police in Chinese', { policy: 'CN', channel: 'sms', to: 'borrower', text: '我们是公安机关，请立即还款' }, ['PROHIBITED_WORDING']],
    ['impersonating a court officer', { policy: 'UK', channel: 'letter', to: 'borrower', text: 'A court officer will attend your home.' }, ['PROHIBITED_WORDING']],
    ['spreading to contacts in Chinese', { policy: 'CN', channel: 'sms', to: 'borrower', text: '再不还就爆通讯录' }, ['PROHIBITED_WORDING']],
    ['pushing into new borrowing', { policy: 'CN', channel: 'call', to: 'borrower', text: '你可以以贷养贷先还上' }, ['PROHIBITED_WORDING']],
    ['threat to sue on a time-barred debt', { policy: 'US', channel: 'letter', to: 'borrower', text: 'We may file a lawsuit if you do not pay.', timeBarred: true }, ['TIME_BARRED_SUIT_THREAT']],
    ['suit on a debt that is not time-barred', { policy: 'US', channel: 'letter', to: 'borrower', text: 'We may file a lawsuit if you do not pay.' }, []],
    ['time-barred suit threat in Chinese', { policy: 'CN', channel: 'letter', to: 'borrower', text: '我们将向你提起诉讼', timeBarred: true }, ['TIME_BARRED_SUIT_THREAT']],
  ] as const)('%s', (_name, input, codes) => {
    const result = checkTemplate(input);
    expect(result.findings.map((finding) => finding.code)).toEqual(codes);
    expect(result.ok).toBe(codes.length === 0);
  });
});
