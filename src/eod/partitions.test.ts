import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PARTITION_KEYS, partitionKeyRange } from './partitions.ts';

describe('partitionKeyRange', () => {
  it.each([
    { partition: 0, partitions: 1, from: 0, until: 1024 },
    { partition: 0, partitions: 8, from: 0, until: 128 },
    { partition: 7, partitions: 8, from: 896, until: 1024 },
    { partition: 1, partitions: 3, from: 341, until: 682 },
    { partition: 2, partitions: 3, from: 682, until: 1024 },
    { partition: 1023, partitions: 1024, from: 1023, until: 1024 },
  ])('partition $partition of $partitions covers keys $from to $until', ({ partition, partitions, from, until }) => {
    expect(partitionKeyRange(partition, partitions)).toEqual({ from, until });
  });

  it('splits every key into exactly one partition, none empty, for any count up to the number of keys', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: PARTITION_KEYS }), (partitions) => {
      let next = 0;
      for (let partition = 0; partition < partitions; partition++) {
        const { from, until } = partitionKeyRange(partition, partitions);
        expect(from).toBe(next);
        expect(until).toBeGreaterThan(from);
        next = until;
      }
      expect(next).toBe(PARTITION_KEYS);
    }));
  });
});
