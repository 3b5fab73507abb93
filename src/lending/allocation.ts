import { validationError } from '../shared/errors.ts';
import { type Component, type InstallmentState, outstandingOf } from './loan-state.ts';

/** The order in which a payment pays the parts of each installment, oldest installment first. */
export type AllocationOrder = readonly Component[];

const PLURAL: Record<string, Component> = { penalties: 'penalty', fees: 'fee', interest: 'interest', principal: 'principal' };

export const DEFAULT_ALLOCATION = 'penalties-fees-interest-principal';

/**
 * Parses an allocation order such as "penalties-fees-interest-principal" (any order of the four).
 *
 * @example parseAllocationOrder('interest-principal-penalties-fees') // ['interest', 'principal', 'penalty', 'fee']
 */
export function parseAllocationOrder(text: unknown, field = 'allocation'): AllocationOrder {
  if (typeof text !== 'string') throw validationError(field, 'must be a string such as "penalties-fees-interest-principal"');
  const parts = text.split('-').map((part) => PLURAL[part]);
  const unique = new Set(parts);
  if (parts.length !== 4 || unique.size !== 4 || parts.some((part) => part === undefined)) {
    throw validationError(field, `"${text}" must name penalties, fees, interest and principal once each, joined by "-"`);
  }
  return parts as Component[];
}

export function formatAllocationOrder(order: AllocationOrder): string {
  return order.map((component) => (component === 'penalty' ? 'penalties' : component === 'fee' ? 'fees' : component)).join('-');
}

/** How a payment was split. */
export interface Allocation {
  principalMinor: bigint;
  interestMinor: bigint;
  feeMinor: bigint;
  penaltyMinor: bigint;
  overpaymentMinor: bigint;
}

export function emptyAllocation(): Allocation {
  return { principalMinor: 0n, interestMinor: 0n, feeMinor: 0n, penaltyMinor: 0n, overpaymentMinor: 0n };
}

export function allocationTotal(allocation: Allocation): bigint {
  return allocation.principalMinor + allocation.interestMinor + allocation.feeMinor + allocation.penaltyMinor + allocation.overpaymentMinor;
}

/**
 * Pays `components` of one installment in `order` from `availableMinor`, recording into
 * `allocation`; returns what is left. Mutates the installment (a working copy).
 */
export function payInstallment(
  installment: InstallmentState,
  availableMinor: bigint,
  order: AllocationOrder,
  allocation: Allocation,
  components: ReadonlySet<Component> | null = null,
): bigint {
  let remaining = availableMinor;
  for (const component of order) {
    if (remaining === 0n) break;
    if (components && !components.has(component)) continue;
    const owed = outstandingOf(installment, component);
    if (owed <= 0n) continue;
    const paid = owed < remaining ? owed : remaining;
    remaining -= paid;
    switch (component) {
      case 'principal':
        installment.principalPaidMinor += paid;
        allocation.principalMinor += paid;
        break;
      case 'interest':
        installment.interestPaidMinor += paid;
        allocation.interestMinor += paid;
        break;
      case 'fee':
        installment.feePaidMinor += paid;
        allocation.feeMinor += paid;
        break;
      case 'penalty':
        installment.penaltyPaidMinor += paid;
        allocation.penaltyMinor += paid;
        break;
    }
  }
  return remaining;
}
