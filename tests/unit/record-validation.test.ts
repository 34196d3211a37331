import { checkCreditRecord } from '../../src/services/credit/record-validation';

const TODAY = '2026-11-29';
const base = {
  uscc: '91110000600037341L',
  source: 'TAX',
  kind: 'VAT_PAID',
  externalId: 'x-1',
  occurredOn: '2026-10-15',
};

describe('checkCreditRecord', () => {
  test('a record without an amount is fine where the kind needs none', () => {
    const check = checkCreditRecord({ ...base, kind: 'TAX_CREDIT_LEVEL', description: 'A' }, TODAY);
    expect(check).toMatchObject({ ok: true, row: { amount: null, description: 'A', external_id: 'x-1' } });
  });

  test('amounts are normalised to two places; an integer number is accepted', () => {
    expect(checkCreditRecord({ ...base, amount: '12.5' }, TODAY)).toMatchObject({ ok: true, row: { amount: '12.50' } });
    expect(checkCreditRecord({ ...base, amount: 1200 }, TODAY)).toMatchObject({ ok: true, row: { amount: '1200.00' } });
  });

  test.each(['abc', 'NaN', 'Infinity', '1e5', '', 12.5])('amount %p is a problem, not an exception', (amount) => {
    const check = checkCreditRecord({ ...base, amount }, TODAY);
    expect(check.ok).toBe(false);
    expect(!check.ok && check.problems.map((p) => p.field)).toEqual(['amount']);
  });

  test('messages are Chinese even for wrong types', () => {
    const check = checkCreditRecord({ ...base, externalId: 42 }, TODAY);
    expect(!check.ok && check.problems[0]).toMatchObject({ field: 'externalId' });
    expect(!check.ok && check.problems[0].message).toMatch(/[\u4e00-\u9fff]/);
  });

  test('a date after today in Asia/Shanghai is refused, today is fine', () => {
    expect(checkCreditRecord({ ...base, occurredOn: TODAY }, TODAY).ok).toBe(true);
    const late = checkCreditRecord({ ...base, occurredOn: '2026-11-30' }, TODAY);
    expect(!late.ok && late.problems).toEqual([{ field: 'occurredOn', message: '发生日期不能晚于今天' }]);
  });
});
