import { lookup, type LookupAddress, type LookupOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isPrivateAddress } from './url-policy';

/** What one POST came to: an HTTP status, or the reason there was none. */
export interface PostOutcome {
  status: number | null;
  error: string | null;
  latencyMs: number;
}

export type WebhookPost = (
  url: string,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs: number; blockPrivateAddresses: boolean },
) => Promise<PostOutcome>;

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * dns.lookup that refuses a name resolving to a private address, so a public name pointed at the
 * platform's own network (or re-pointed after registration) is not called either.
 */
function publicLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    if (addresses.some((a) => isPrivateAddress(a.address))) {
      return callback(Object.assign(new Error(`${hostname} 解析到内网地址`), { code: 'EPRIVATEADDRESS' }), []);
    }
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
}

/**
 * One POST, no redirects followed (a 3xx is an answer like any other non-2xx), no connection
 * reuse, the response body read and dropped, the whole exchange bounded by `timeoutMs`.
 */
export const postWebhook: WebhookPost = (url, body, headers, { timeoutMs, blockPrivateAddresses }) =>
  new Promise((resolve) => {
    const started = performance.now();
    let settled = false;
    const finish = (status: number | null, error: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve({ status, error, latencyMs: Math.round(performance.now() - started) });
    };
    const target = new URL(url);
    const client = target.protocol === 'https:' ? https : http;
    const req = client.request(
      target,
      {
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'credit-easy-loan-webhooks/1',
          ...headers,
        },
        ...(blockPrivateAddresses ? { lookup: publicLookup as never } : {}),
      },
      (res) => {
        res.resume();
        res.on('end', () => finish(res.statusCode ?? null, null));
        res.on('error', () => finish(res.statusCode ?? null, null));
      },
    );
    const deadline = setTimeout(() => {
      req.destroy();
      finish(null, `超时：${timeoutMs} ms 内未完成`);
    }, timeoutMs);
    req.on('error', (err: NodeJS.ErrnoException) => finish(null, `连接失败：${err.code ?? err.message}`));
    req.end(body);
  });
