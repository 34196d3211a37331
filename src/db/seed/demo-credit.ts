import { CreditDataSource } from '../../entities/enums';
import type { CreditRecordRow } from '../../services/credit/record-validation';
import type { DemoEnterprise } from './demo-enterprises';

/**
 * Credit profiles for the demo enterprises, so grades spread over A–D: most pay taxes and
 * insure staff steadily, some are shrinking or in arrears, a few were fined, sued or listed
 * as dishonest debtors.
 */
type Profile = 'excellent' | 'good' | 'fair' | 'weak' | 'poor';

const PROFILES: Profile[] = ['excellent', 'good', 'fair', 'weak', 'good', 'fair', 'excellent', 'weak', 'poor', 'good'];

function monthsBack(today: string, n: number, day = 15): string {
  const [y, m] = today.split('-').map(Number);
  const total = y * 12 + (m - 1) - n;
  const date = `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return date > today ? today : date;
}

export function profileOf(index: number): Profile {
  return PROFILES[index % PROFILES.length];
}

export function demoCreditRecords(enterprises: DemoEnterprise[], today: string): CreditRecordRow[] {
  const rows: CreditRecordRow[] = [];
  enterprises.forEach((e, index) => {
    const profile = profileOf(index);
    const add = (source: CreditDataSource, kind: string, occurredOn: string, extra: Partial<CreditRecordRow> = {}) =>
      rows.push({
        uscc: e.uscc,
        source,
        kind,
        external_id: `demo-${e.uscc}-${kind}-${occurredOn}`,
        period: occurredOn.slice(0, 7),
        amount: null,
        description: null,
        occurred_on: occurredOn,
        subject_name: null,
        legal_representative: null,
        ...extra,
      });

    add(CreditDataSource.REGISTRY, 'BUSINESS_REGISTRATION', e.establishedOn, {
      period: null,
      subject_name: e.name,
      legal_representative: e.legalRepresentative,
    });
    const monthlyVat = Math.round((Number(e.annualRevenue) * 0.06) / 12);
    const trend = { excellent: 1.02, good: 1.0, fair: 0.96, weak: 0.9, poor: 0.8 }[profile];
    for (let m = 12; m >= 1; m -= 1) {
      const on = monthsBack(today, m);
      const vat = Math.round(monthlyVat * trend ** (12 - m));
      add(CreditDataSource.TAX, 'VAT_PAID', on, { amount: `${vat}.00` });
      const staff = Math.max(1, Math.round(e.employees * trend ** (12 - m)));
      add(CreditDataSource.SOCIAL_SECURITY, 'EMPLOYEES_INSURED', on, { amount: String(staff) });
      // Fair payers skip half the months; weak and poor ones have stopped paying the housing fund.
      if (profile === 'excellent' || profile === 'good' || (profile === 'fair' && m % 2 === 0)) {
        add(CreditDataSource.HOUSING_FUND, 'HOUSING_FUND_CONTRIBUTORS', on, { amount: String(Math.ceil(staff / 2)) });
      }
      const late = profile === 'poor' || profile === 'weak' ? m % 2 === 0 : profile === 'fair' ? m % 4 === 0 : false;
      add(CreditDataSource.UTILITY, late ? 'UTILITY_PAID_LATE' : 'UTILITY_PAID_ON_TIME', on, { description: '电费' });
    }
    const level = { excellent: 'A', good: 'A', fair: 'B', weak: 'M', poor: 'C' }[profile];
    add(CreditDataSource.TAX, 'TAX_CREDIT_LEVEL', monthsBack(today, 8, 1), { description: level, period: null });
    if (profile !== 'excellent' && profile !== 'good') {
      add(CreditDataSource.TAX, 'TAX_ARREARS', monthsBack(today, 3), { amount: '38000.00' });
    }
    if (profile === 'weak' || profile === 'poor') {
      add(CreditDataSource.SOCIAL_SECURITY, 'SOCIAL_SECURITY_ARREARS', monthsBack(today, 4), { amount: '56000.00' });
      add(CreditDataSource.JUDGMENT, 'COURT_JUDGMENT', monthsBack(today, 6, 20), {
        amount: '420000.00',
        description: '买卖合同纠纷',
      });
      add(CreditDataSource.PENALTY, 'ADMIN_PENALTY', monthsBack(today, 2, 8), {
        amount: '20000.00',
        description: '未按规定申报排污',
      });
    }
    if (profile === 'poor') {
      add(CreditDataSource.JUDGMENT, 'DISHONEST_DEBTOR', monthsBack(today, 5, 3), {
        description: '列入失信被执行人名单',
      });
    }
    if (profile === 'excellent') {
      add(CreditDataSource.INTELLECTUAL_PROPERTY, 'PATENT_GRANTED', monthsBack(today, 10, 12), {
        description: '实用新型专利',
      });
      add(CreditDataSource.INTELLECTUAL_PROPERTY, 'PATENT_GRANTED', monthsBack(today, 7, 12), {
        description: '发明专利',
      });
    }
  });
  return rows;
}
