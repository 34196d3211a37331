import { windowParts } from '../../src/services/statistics/window';

// How a window meets the monthly rollup: whole months from the rollup, and per partial month the
// cheaper correction from the base tables (add the covered days, or subtract the others; days
// after today hold nothing and cost nothing).

const none = { edge1From: null, edge1To: null, edge1Sign: null, edge2From: null, edge2To: null, edge2Sign: null };
const TODAY = '2026-11-29';

describe('windowParts', () => {
  test('no window: every month, no correction', () => {
    expect(windowParts(null, null, TODAY)).toEqual({ wholeFrom: null, wholeTo: null, ...none });
  });

  test('month-aligned ends need no correction', () => {
    expect(windowParts('2025-01-01', '2025-12-31', TODAY)).toEqual({
      wholeFrom: '2025-01-01',
      wholeTo: '2025-12-01',
      ...none,
    });
    expect(windowParts('2024-02-01', '2024-02-29', TODAY)).toMatchObject({
      wholeFrom: '2024-02-01',
      wholeTo: '2024-02-01',
      edge1From: null,
    });
  });

  test('late in the first month and early in the last: add the covered days', () => {
    expect(windowParts('2025-03-17', '2026-01-09', TODAY)).toEqual({
      wholeFrom: '2025-04-01',
      wholeTo: '2025-12-01',
      edge1From: '2025-03-17',
      edge1To: '2025-03-31',
      edge1Sign: 1,
      edge2From: '2026-01-01',
      edge2To: '2026-01-09',
      edge2Sign: 1,
    });
  });

  test('early in the first month and late in the last: take the months, subtract the rest', () => {
    expect(windowParts('2026-04-03', '2026-07-28', TODAY)).toEqual({
      wholeFrom: '2026-04-01',
      wholeTo: '2026-07-01',
      edge1From: '2026-04-01',
      edge1To: '2026-04-02',
      edge1Sign: -1,
      edge2From: '2026-07-29',
      edge2To: '2026-07-31',
      edge2Sign: -1,
    });
  });

  test('to today: the current month whole, minus days that have not happened (free)', () => {
    expect(windowParts('2026-09-01', TODAY, TODAY)).toEqual({
      wholeFrom: '2026-09-01',
      wholeTo: '2026-11-01',
      edge1From: '2026-11-30',
      edge1To: '2026-11-30',
      edge1Sign: -1,
      ...{ edge2From: null, edge2To: null, edge2Sign: null },
    });
  });

  test('inside one month: the days themselves, or the month minus both ends', () => {
    expect(windowParts('2026-06-10', '2026-06-14', TODAY)).toEqual({
      wholeFrom: '2026-07-01',
      wholeTo: '2026-05-01',
      edge1From: '2026-06-10',
      edge1To: '2026-06-14',
      edge1Sign: 1,
      ...{ edge2From: null, edge2To: null, edge2Sign: null },
    });
    expect(windowParts('2026-05-02', '2026-05-30', TODAY)).toEqual({
      wholeFrom: '2026-05-01',
      wholeTo: '2026-05-01',
      edge1From: '2026-05-01',
      edge1To: '2026-05-01',
      edge1Sign: -1,
      edge2From: '2026-05-31',
      edge2To: '2026-05-31',
      edge2Sign: -1,
    });
    // One day: that day.
    expect(windowParts('2026-07-15', '2026-07-15', TODAY)).toMatchObject({
      edge1From: '2026-07-15',
      edge1To: '2026-07-15',
      edge1Sign: 1,
      edge2From: null,
    });
  });

  test('open on one side', () => {
    expect(windowParts('2026-06-02', null, TODAY)).toEqual({
      wholeFrom: '2026-06-01',
      wholeTo: null,
      edge1From: '2026-06-01',
      edge1To: '2026-06-01',
      edge1Sign: -1,
      ...{ edge2From: null, edge2To: null, edge2Sign: null },
    });
    expect(windowParts(null, '2025-08-14', TODAY)).toEqual({
      wholeFrom: null,
      wholeTo: '2025-07-01',
      edge1From: '2025-08-01',
      edge1To: '2025-08-14',
      edge1Sign: 1,
      ...{ edge2From: null, edge2To: null, edge2Sign: null },
    });
  });
});
