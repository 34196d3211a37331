import { Dispatch, Whitelist, WhitelistEntry, type Enterprise } from '../../entities';
import { DispatchStatus } from '../../entities/enums';
import { planDispatch, type OpenEntry } from '../../services/dispatch.service';
import { usccCheckChar } from '../../services/uscc';
import { type DemoWorld } from './demo-world';
import { DAY_MS } from '../../services/time';

/** Listed enterprises not (yet) registered on the platform: dispatch reports them, a regulator sees them unlinked. */
const UNREGISTERED = [
  { first17: '91210604MA0Y8K2L4', name: '丹东市振安区金海湾海鲜有限公司', position: 3 },
  { first17: '91210624MA10C7N3X', name: '宽甸满族自治县山野菜种植有限公司', position: 8 },
];

const NOTES = [
  '拟申请流动资金贷款约 50 万元',
  '扩大产能，资金需求约 100 万元',
  '首次申请银行贷款',
  '订单增长，急需备货资金',
  '拟购置生产设备',
];

const REGISTERED_ENTRIES = 8;

/**
 * A first-loan whitelist (首贷白名单) of the first department: eight registered enterprises that
 * have no part in the demo market yet and two that have not registered. Each registered one is
 * dispatched as DispatchService.dispatchWhitelist would (planDispatch: least-loaded bank, then
 * lowest rate, with its reason), and the banks have answered some: PENDING, ACCEPTED, one DECLINED;
 * demo-bank has at least one still to answer.
 */
export function seedWhitelist(world: DemoWorld): void {
  const { em, now, today } = world;
  const listed = world.enterprises
    .slice(1)
    .reverse()
    .filter((e) => !world.used.has(e.id))
    .slice(0, REGISTERED_ENTRIES);
  listed.forEach((e) => world.used.add(e.id));
  const rows: { uscc: string; name: string; enterprise: Enterprise | null }[] = listed.map((e) => ({
    uscc: e.uscc,
    name: e.name,
    enterprise: e,
  }));
  for (const u of UNREGISTERED) {
    rows.splice(u.position, 0, { uscc: `${u.first17}${usccCheckChar(u.first17)}`, name: u.name, enterprise: null });
  }

  const uploadedAt = new Date(now.getTime() - 4 * DAY_MS);
  const whitelist = em.create(Whitelist, {
    department: world.departments.ndrc,
    name: `${today.slice(0, 4)}年丹东市小微企业首贷白名单`,
    description:
      '发改委会同人民银行丹东市分行筛选的有融资需求、尚无银行贷款记录的小微企业，请承接银行 10 个工作日内对接。',
    entryCount: rows.length,
    createdAt: uploadedAt,
  });
  const entries = rows.map((row, position) =>
    em.create(WhitelistEntry, {
      whitelist,
      position,
      uscc: row.uscc,
      name: row.name,
      note: NOTES[position % NOTES.length],
      createdAt: uploadedAt,
    }),
  );

  const open: OpenEntry[] = entries.map((entry, i) => {
    const e = rows[i].enterprise;
    return {
      id: entry.id,
      position: entry.position,
      uscc: entry.uscc,
      name: entry.name,
      declined: [],
      enterprise: e && {
        creditGrade: e.creditGrade,
        industryCode: e.industryCode,
        regionCode: e.regionCode,
        size: e.size,
        establishedOn: e.establishedOn,
      },
    };
  });
  const products = [...world.products.values()];
  const { assignments } = planDispatch(open, products, new Map(), today);

  // Every other one answered; demo-bank's first still waiting; the last answered one declined.
  const icbc = world.institutions.icbc.id;
  const statuses: DispatchStatus[] = assignments.map((_, i) =>
    i % 2 === 0 ? DispatchStatus.PENDING : DispatchStatus.ACCEPTED,
  );
  const demoBankFirst = assignments.findIndex((a) => a.institutionId === icbc);
  if (demoBankFirst >= 0) statuses[demoBankFirst] = DispatchStatus.PENDING;
  const declined = statuses.lastIndexOf(DispatchStatus.ACCEPTED);
  if (declined >= 0) statuses[declined] = DispatchStatus.DECLINED;

  const assignedAt = new Date(now.getTime() - 3 * DAY_MS);
  assignments.forEach((a, i) => {
    const product = products.find((p) => p.id === a.productId)!;
    const answered = statuses[i] !== DispatchStatus.PENDING;
    em.create(Dispatch, {
      entry: entries.find((e) => e.id === a.entryId)!,
      institution: product.institution,
      product,
      status: statuses[i],
      reason: a.reason,
      assignedAt,
      respondedAt: answered ? new Date(assignedAt.getTime() + DAY_MS + i * 3_600_000) : null,
      note:
        statuses[i] === DispatchStatus.DECLINED
          ? '已电话联系，企业表示近期暂无融资需求'
          : answered
            ? '已安排客户经理上门对接'
            : null,
      createdAt: assignedAt,
    });
  });
}
