import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';

/** One subscription's results, read one by one. */
export interface Subscription {
  /** The next result; fails after `ms` without one (the result stays queued if it comes later). */
  next(ms?: number): Promise<FormattedExecutionResult<any, any>>;
  /** Resolves when the server completed the subscription (e.g. after refusing it). */
  completed: Promise<void>;
  unsubscribe(): void;
}

/** Subscribes on an open graphql-ws client. */
export function subscribe(client: Client, query: string): Subscription {
  const results: FormattedExecutionResult<any, any>[] = [];
  let wake: (() => void) | undefined;
  let failure: unknown;
  let markCompleted!: () => void;
  const completed = new Promise<void>((resolve) => (markCompleted = resolve));
  const unsubscribe = client.subscribe(
    { query },
    {
      next: (result) => {
        results.push(result);
        wake?.();
      },
      error: (err) => {
        failure = err;
        wake?.();
      },
      complete: () => {
        markCompleted();
        wake?.();
      },
    },
  );
  return {
    completed,
    unsubscribe,
    async next(ms = 5_000) {
      const deadline = Date.now() + ms;
      while (results.length === 0) {
        if (failure) throw new Error(`subscription failed: ${JSON.stringify(failure)}`);
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no event within ${ms} ms`);
        let timer: NodeJS.Timeout | undefined;
        await new Promise<void>((resolve) => {
          wake = resolve;
          timer = setTimeout(resolve, left);
        });
        clearTimeout(timer);
      }
      return results.shift()!;
    },
  };
}

/** One subscription over its own graphql-ws connection. */
export interface Feed {
  next(ms?: number): Promise<FormattedExecutionResult<any, any>>;
  close(): Promise<void>;
}

/** Connects to `<httpUrl>/graphql` with the credential and subscribes; resolves once the server acknowledged the connection. */
export async function openFeed(httpUrl: string, credential: string, query: string): Promise<Feed> {
  const client: Client = await new Promise((resolve, reject) => {
    const c = createClient({
      url: `${httpUrl.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      lazy: false,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${credential}` },
      on: {
        connected: () => resolve(c),
        closed: (event) => reject(new Error(`connection closed: ${(event as { code?: number }).code}`)),
      },
      onNonLazyError: () => undefined,
    });
  });
  const subscription = subscribe(client, query);
  return {
    next: (ms) => subscription.next(ms),
    async close() {
      subscription.unsubscribe();
      await client.dispose();
    },
  };
}
