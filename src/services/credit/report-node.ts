import type { ReportView } from './report-access';

/** The GraphQL source of a CreditReport: the stored report plus the scope this viewer may see. */
export type ReportNode = ReportView['report'] & { scope: ReportView['scope'] };

export function toReportNode(view: ReportView | null): ReportNode | null {
  return view
    ? Object.assign(Object.create(Object.getPrototypeOf(view.report)), view.report, { scope: view.scope })
    : null;
}
