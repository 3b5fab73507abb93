import { describe, expect, it } from 'vitest';
import { LenityError } from '../shared/errors.ts';
import { parseProductScheduleTerms, parseScheduleTerms } from './schedule-terms.ts';

const VALID = { principal: '5000.00', currency: 'EUR', annualRate: '12', numberOfRepayments: 18, disbursementDate: '2022-11-01' };

function failure(json: unknown): [string, string | undefined] {
  try {
    parseScheduleTerms(json);
  } catch (error) {
    if (error instanceof LenityError) return [error.code, error.field];
    throw error;
  }
  return ['OK', undefined];
}

describe('parseScheduleTerms', () => {
  it('applies the contract defaults', () => {
    const terms = parseScheduleTerms(VALID);
    expect([terms.interestMethod, terms.amortization, terms.interestCalculation, terms.emi, terms.daysInYear, terms.daysInMonth, terms.repaymentUnit, terms.roundingMode, terms.installmentMultipleOfMinor, terms.firstRepaymentDate])
      .toEqual(['declining-balance', 'equal-installments', 'per-period', 'nominal', 365, 'actual', 'months', 'half-even', 1n, null]);
    expect(terms.principalMinor).toBe(500000n);
  });

  it.each([
    [{ extra: 1 }, 'UNKNOWN_FIELD', 'extra'],
    [{ currency: 'EURO' }, 'UNKNOWN_CURRENCY', 'currency'],
    [{ principal: '-1.00' }, 'INVALID_AMOUNT', 'principal'],
    [{ principal: '1.001' }, 'INVALID_AMOUNT', 'principal'],
    [{ principal: '0' }, 'INVALID_AMOUNT', 'principal'],
    [{ disbursementDate: '2023-02-29' }, 'INVALID_DATE', 'disbursementDate'],
    [{ firstRepaymentDate: '2022-13-01' }, 'INVALID_DATE', 'firstRepaymentDate'],
    [{ repaymentUnit: 'years' }, 'VALIDATION_FAILED', 'repaymentUnit'],
    [{ numberOfRepayments: 0 }, 'VALIDATION_FAILED', 'numberOfRepayments'],
    [{ daysInMonth: 31 }, 'VALIDATION_FAILED', 'daysInMonth'],
    [{ graceOnPrincipalPeriods: 18 }, 'VALIDATION_FAILED', 'graceOnPrincipalPeriods'],
    [{ annualRate: 12 }, 'VALIDATION_FAILED', 'annualRate'],
    [{ installmentMultipleOf: '0.001' }, 'INVALID_AMOUNT', 'installmentMultipleOf'],
  ])('refuses %j with %s naming %s', (change, code, field) => {
    expect(failure({ ...VALID, ...change })).toEqual([code, field]);
  });

  it('parses product terms without principal and dates, refusing them', () => {
    expect(parseProductScheduleTerms({ currency: 'CNY', annualRate: '18', numberOfRepayments: 12 }).currency).toBe('CNY');
    expect(() => parseProductScheduleTerms({ ...VALID })).toThrow(/principal/);
  });
});
