import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261128185605_Initial } from './Migration20261128185605_Initial';
import { Migration20261128192734_Credit } from './Migration20261128192734_Credit';
import { Migration20261128203006_Products } from './Migration20261128203006_Products';
import { Migration20261128203833_Demands } from './Migration20261128203833_Demands';
import { Migration20261128214234_Marketplace } from './Migration20261128214234_Marketplace';
import { Migration20261128223431_Policies } from './Migration20261128223431_Policies';
import { Migration20261128232000_AuditChain } from './Migration20261128232000_AuditChain';
import { Migration20261128233000_StatisticsIndexes } from './Migration20261128233000_StatisticsIndexes';
import { Migration20261129004000_StatisticsRollup } from './Migration20261129004000_StatisticsRollup';
import { Migration20261129020000_Idempotency } from './Migration20261129020000_Idempotency';
import { Migration20261129060000_RowLevelSecurity } from './Migration20261129060000_RowLevelSecurity';
import { Migration20261129070000_DemandIndexes } from './Migration20261129070000_DemandIndexes';
import { Migration20261129080000_Webhooks } from './Migration20261129080000_Webhooks';

/** Every migration, in order. Listed by hand so the same list works from src/ and dist/. */
export const MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261128185605_Initial', class: Migration20261128185605_Initial },
  { name: 'Migration20261128192734_Credit', class: Migration20261128192734_Credit },
  { name: 'Migration20261128203006_Products', class: Migration20261128203006_Products },
  { name: 'Migration20261128203833_Demands', class: Migration20261128203833_Demands },
  { name: 'Migration20261128214234_Marketplace', class: Migration20261128214234_Marketplace },
  { name: 'Migration20261128223431_Policies', class: Migration20261128223431_Policies },
  { name: 'Migration20261128232000_AuditChain', class: Migration20261128232000_AuditChain },
  { name: 'Migration20261128233000_StatisticsIndexes', class: Migration20261128233000_StatisticsIndexes },
  { name: 'Migration20261129004000_StatisticsRollup', class: Migration20261129004000_StatisticsRollup },
  { name: 'Migration20261129020000_Idempotency', class: Migration20261129020000_Idempotency },
  { name: 'Migration20261129060000_RowLevelSecurity', class: Migration20261129060000_RowLevelSecurity },
  { name: 'Migration20261129070000_DemandIndexes', class: Migration20261129070000_DemandIndexes },
  { name: 'Migration20261129080000_Webhooks', class: Migration20261129080000_Webhooks },
];
