import { InstitutionType } from '../../entities/enums';

/** Dandong (丹东市, 210600), the demo city. Names are invented for the demo. */
export const DEMO_REGION = '210600';

export const DEMO_DEPARTMENTS = [
  { key: 'ndrc', name: '丹东市发展和改革委员会', regionCode: '210600' },
  { key: 'finance', name: '丹东市财政局', regionCode: '210600' },
  { key: 'tech', name: '丹东市科学技术局', regionCode: '210600' },
] as const;

export type DepartmentKey = (typeof DEMO_DEPARTMENTS)[number]['key'];

export const DEMO_INSTITUTIONS = [
  { key: 'icbc', name: '工商银行丹东分行', type: InstitutionType.STATE_OWNED_BANK, regionCode: '210600' },
  { key: 'ccb', name: '建设银行丹东分行', type: InstitutionType.STATE_OWNED_BANK, regionCode: '210600' },
  { key: 'cmb', name: '招商银行丹东分行', type: InstitutionType.JOINT_STOCK_BANK, regionCode: '210600' },
  { key: 'yalu', name: '鸭绿江城市商业银行', type: InstitutionType.CITY_COMMERCIAL_BANK, regionCode: '210600' },
  { key: 'donggang', name: '东港农村商业银行', type: InstitutionType.RURAL_BANK, regionCode: '210681' },
  { key: 'guarantee', name: '丹东市融资担保有限公司', type: InstitutionType.GUARANTEE_COMPANY, regionCode: '210600' },
] as const;

/** Districts and county-level cities of Dandong. */
export const DEMO_DISTRICTS = ['210602', '210603', '210604', '210624', '210681', '210682'] as const;
