import { BlockList, isIP } from 'node:net';

/** Which callback URLs a bank may register (docs/webhooks.md, "URLs"). */
export interface UrlPolicy {
  /** http:// to loopback, for development and tests; never in production (config refuses it). */
  allowHttpLoopback: boolean;
  /** https:// to a literal private, loopback or link-local address refused (production). */
  blockPrivateAddresses: boolean;
}

export const MAX_URL_LENGTH = 2048;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/**
 * Addresses inside the platform's own network, which a registered URL must not make the server
 * call (server-side request forgery). IPv4-mapped IPv6 addresses are checked against the IPv4
 * ranges by BlockList itself.
 */
const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this" network
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata services
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  PRIVATE.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  PRIVATE.addSubnet(net, prefix, 'ipv6');
}

/** True for a literal IP address in a private, loopback, link-local or reserved range. */
export function isPrivateAddress(host: string): boolean {
  const address = host.replace(/^\[|\]$/g, '');
  const family = isIP(address);
  if (family === 0) return false;
  return PRIVATE.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * The URL as stored (normalised by the WHATWG parser), or why it is refused, in the words the
 * bank reads. Host names are not resolved here: a name that resolves to a private address is a
 * known limit (docs/webhooks.md).
 */
export function checkWebhookUrl(raw: string, policy: UrlPolicy): { url: string } | { problem: string } {
  const text = raw.trim();
  if (text.length > MAX_URL_LENGTH) return { problem: `地址不能超过 ${MAX_URL_LENGTH} 个字符` };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { problem: '地址格式无效，应为完整的 https:// 地址' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { problem: '只支持 https 地址' };
  if (url.username || url.password) return { problem: '地址中不能包含用户名或密码' };
  // `#` alone leaves url.hash empty, so look at the text: a fragment is never sent anyway.
  if (text.includes('#')) return { problem: '地址中不能包含片段（#）' };
  const host = url.hostname.toLowerCase();
  if (url.protocol === 'http:') {
    if (policy.allowHttpLoopback && LOOPBACK_HOSTS.has(host)) return { url: url.href };
    return { problem: '只支持 https 地址（开发和测试环境可用 http 连接本机）' };
  }
  if (policy.blockPrivateAddresses && (isPrivateAddress(host) || host === 'localhost' || host.endsWith('.localhost'))) {
    return { problem: '地址不能指向内网、本机或链路本地地址' };
  }
  return { url: url.href };
}
