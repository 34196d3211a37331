import type { Logger } from 'pino';
import type { Loaders } from '../loaders';
import type { Services } from '../services';
import type { RequestContext } from '../services/request-context';

/** The GraphQL context: the service-layer RequestContext plus what resolvers need. */
export type GraphQLContext = RequestContext & {
  loaders: Loaders;
  services: Services;
  logger: Logger;
  /** SQL statements this request has run so far (tests and benchmarks read it). */
  sql: { statements: number };
};
