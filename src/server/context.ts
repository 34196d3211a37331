import type { Logger } from 'pino';
import type { ScopedTransaction } from '../db/row-security';
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
  /**
   * Over WebSocket: whether the credential the connection presented still holds (a token not yet
   * expired, an API key not revoked). A subscription asks before each event and ends when it does
   * not. Absent over HTTP, where every request presents its credential afresh.
   */
  credentialStillValid?: () => Promise<boolean>;
  /** Whether operations run in a transaction that states their viewer (config rowSecurity). */
  rowSecurity: boolean;
  /**
   * The operation's transaction with its viewer stated (src/server/request-transaction.ts). A box:
   * Apollo hands the plugins and resolvers a shallow copy of the context, and the HTTP handler
   * that ends the transaction holds the original.
   */
  transaction: { scope?: ScopedTransaction };
};
