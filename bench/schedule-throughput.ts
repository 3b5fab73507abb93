import { measureThroughput } from './benchmark.ts';
import { parseScheduleTerms, type ScheduleTerms } from '../src/lending/schedule-terms.ts';
import { generateSchedule } from '../src/lending/schedule.ts';

/**
 * Schedules generated per second on one core, for 12-installment schedules with varied terms.
 *
 * @example measureScheduleThroughput(1000).schedulesPerSecond
 */
export function measureScheduleThroughput(minimumMs: number): { schedulesPerSecond: number } {
  const variants: ScheduleTerms[] = [];
  const modes = [
    { interestCalculation: 'per-period', emi: 'nominal', daysInYear: 365, daysInMonth: 'actual' },
    { interestCalculation: 'daily', emi: 'actual-days', daysInYear: 365, daysInMonth: 'actual' },
    { interestCalculation: 'daily', emi: 'actual-days', daysInYear: 360, daysInMonth: 30 },
    { interestCalculation: 'daily', emi: 'nominal', daysInYear: 'actual', daysInMonth: 'actual' },
  ];
  for (let index = 0; index < 64; index++) {
    variants.push(parseScheduleTerms({
      principal: `${1000 + index * 137}.${String(index % 100).padStart(2, '0')}`, currency: 'CNY', annualRate: `${6 + (index % 18)}.5`,
      ...modes[index % modes.length], numberOfRepayments: 12, disbursementDate: `2024-${String(1 + (index % 12)).padStart(2, '0')}-${String(1 + (index % 28)).padStart(2, '0')}`,
      amortization: index % 8 === 7 ? 'equal-principal' : 'equal-installments',
    }));
  }
  let next = 0;
  const { operationsPerSecond } = measureThroughput(() => {
    generateSchedule(variants[next]!);
    next = (next + 1) & 63;
  }, minimumMs);
  return { schedulesPerSecond: operationsPerSecond };
}
