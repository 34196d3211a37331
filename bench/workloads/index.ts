import type { Workload } from './types';
import { W1 } from './w1-bank';
import { W2 } from './w2-marketplace';
import { W3 } from './w3-dashboard';
import { W4 } from './w4-regulator';

export const WORKLOADS: Record<Workload['id'], Workload> = { W1, W2, W3, W4 };
export type { Workload, WorkloadCase, GraphQLBody, Principal } from './types';
