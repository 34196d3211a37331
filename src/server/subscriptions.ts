import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { InvalidCredentialsError, authenticate } from '../auth/authenticate';
import { isSignedIn } from '../auth/viewer';
import { createContext, type ContextDeps } from './context-factory';

/** Reads `authorization` from connectionParams, whatever its case (GraphiQL sends `Authorization`). */
function credentialOf(params: Record<string, unknown> | undefined): string | null {
  if (!params) return null;
  const entry = Object.entries(params).find(
    ([k]) => k.toLowerCase() === 'authorization' || k.toLowerCase() === 'x-api-key',
  );
  if (!entry || typeof entry[1] !== 'string') return null;
  const value = entry[1].trim();
  return /^Bearer\s+/i.test(value) ? value.replace(/^Bearer\s+/i, '') : value;
}

/**
 * graphql-ws on the same path as HTTP. A connection must authenticate in its connectionParams;
 * without valid credentials it is closed with 4401 before any subscription starts.
 */
export function attachSubscriptions(server: Server, schema: GraphQLSchema, deps: ContextDeps) {
  const wss = new WebSocketServer({ server, path: '/graphql' });
  const disposable = useServer(
    {
      schema,
      onConnect: async (ctx) => {
        try {
          const em = deps.orm.em.fork();
          const viewer = await authenticate(credentialOf(ctx.connectionParams), {
            em,
            tokens: deps.tokens,
            now: deps.now(),
          });
          if (isSignedIn(viewer)) return true;
        } catch (err) {
          if (!(err instanceof InvalidCredentialsError)) throw err;
        }
        ctx.extra.socket.close(CloseCode.Unauthorized, 'Unauthorized');
        return false;
      },
      context: (ctx) =>
        createContext(deps, {
          credential: credentialOf(ctx.connectionParams),
          requestId: randomUUID(),
          ip: ctx.extra.request.socket.remoteAddress ?? 'unknown',
          sql: { statements: 0 },
        }),
    },
    wss,
  );
  return {
    async close() {
      await disposable.dispose();
      await new Promise<void>((done) => wss.close(() => done()));
    },
  };
}
