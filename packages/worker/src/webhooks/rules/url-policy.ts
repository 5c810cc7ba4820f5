/**
 * Where webhooks may be sent. Checked when an endpoint's URL is set, and again by the delivery
 * side before every attempt (which also refuses redirects), since the rules can tighten after a URL
 * was stored.
 *
 * - `https` only. Plain `http` to a loopback host (`localhost`, 127.0.0.0/8, `[::1]`) only where the
 *   deployment sets WEBHOOK_ALLOW_HTTP=true: `pnpm dev` and the tests do, `wrangler deploy` never
 *   does (the flag is not in wrangler.toml).
 * - No credentials in the URL: they would be sent to the receiver and shown in the API.
 * - Never a cloud metadata service, in either mode: 169.254.169.254 (most clouds), 169.254.170.2 (AWS
 *   ECS), 100.100.100.200 (Alibaba), 192.0.0.192 (Oracle), 168.63.129.16 (Azure), fd00:ec2::254, and
 *   the names `metadata`, `metadata.google.internal`, `metadata.goog`, `instance-data`; an IPv6 form
 *   that carries one of those IPv4 addresses (mapped, SIIT, compatible, NAT64, 6to4) is one too.
 * - Live mode only reaches public hosts: no private, loopback, link-local, CGNAT, unique-local,
 *   multicast, documentation or other reserved addresses (IPv4-mapped `::ffff:0:0/96`, SIIT
 *   `::ffff:0:0:0/96`, NAT64 and 6to4 IPv6 forms judged by the IPv4 address inside; the deprecated
 *   IPv4-compatible `::/96` is reserved), no `localhost`, `*.localhost`, `*.local`, `*.internal`,
 *   `*.home.arpa` or single-label names; and no port below 1024 but 443, as those belong to other
 *   services (SSH, SMTP, …) that a webhook has no business reaching. Test mode allows private
 *   hosts and any port, so a merchant can point it at a receiver on their own network.
 *
 * Host names are judged as written: a Worker cannot resolve DNS before it fetches, so a public name
 * that resolves to a private address is not caught here. On Cloudflare a Worker's fetch leaves
 * from Cloudflare's network, which has no private network of ours behind it.
 */

export interface UrlPolicy {
  livemode: boolean;
  /** Plain http to loopback hosts: local development only. */
  allowHttp: boolean;
}

export type UrlVerdict = { ok: true; url: URL } | { ok: false; reason: string };

/** The policy in force for a merchant's mode on this deployment. */
export function urlPolicyFor(env: Pick<Env, "WEBHOOK_ALLOW_HTTP">, livemode: boolean): UrlPolicy {
  return { livemode, allowHttp: env.WEBHOOK_ALLOW_HTTP === "true" };
}

/** Whether webhooks may be POSTed to `input`, and if so the URL as parsed (what should be stored and fetched). */
export function checkWebhookUrl(input: string, policy: UrlPolicy): UrlVerdict {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return refuse("must be an absolute https URL");
  }
  const host = classifyHost(url.hostname);
  if (url.protocol !== "https:") {
    const devHttp = url.protocol === "http:" && policy.allowHttp && host === "loopback";
    if (!devHttp) return refuse(`must use https${policy.allowHttp ? " (http only to localhost)" : ""}`);
  }
  if (url.username || url.password) return refuse("must not contain a user name or password");
  if (host === "invalid") return refuse(`has an invalid address as its host (${url.hostname})`);
  if (host === "metadata") return refuse(`must not point at a cloud metadata service (${url.hostname})`);
  if (!policy.livemode) return { ok: true, url };
  if (host !== "public") {
    return refuse(`must reach a public host in live mode; ${url.hostname} is ${DESCRIBE[host]}`);
  }
  const port = Number(url.port || 443);
  if (port < 1024 && port !== 443) return refuse(`must use port 443 or a port from 1024 up in live mode, not ${port}`);
  return { ok: true, url };
}

const refuse = (reason: string): UrlVerdict => ({ ok: false, reason });

type HostKind =
  | "public"
  | "invalid"
  | "metadata"
  | "loopback"
  | "private"
  | "link-local"
  | "shared"
  | "unspecified"
  | "multicast"
  | "reserved"
  | "internal-name";

const DESCRIBE: Record<Exclude<HostKind, "public" | "invalid" | "metadata">, string> = {
  loopback: "a loopback address",
  private: "a private address",
  "link-local": "a link-local address",
  shared: "in the shared address space of carrier-grade NAT (100.64.0.0/10)",
  unspecified: "the unspecified address",
  multicast: "a multicast address",
  reserved: "a reserved or documentation address",
  "internal-name": "not a public host name",
};

/** Names that never leave a private network (RFC 6761, RFC 8375, ICANN's `.internal`). */
const PRIVATE_SUFFIXES = ["localhost", "local", "internal", "localdomain", "home.arpa"];
const METADATA_NAMES = new Set([
  "metadata",
  "metadata.google.internal",
  "metadata.goog",
  "instance-data",
  "instance-data.ec2.internal",
]);

function classifyHost(hostname: string): HostKind {
  const host = hostname.toLowerCase().replace(/\.+$/, "");
  if (host.startsWith("[")) {
    const v6 = parseIPv6(host.slice(1, -1));
    return v6 === null ? "invalid" : classifyIPv6(v6);
  }
  const labels = host.split(".");
  // The URL parser already turns 0x7f.1 or 2130706433 into 127.0.0.1; parsed here too, so the
  // policy holds whatever parsed the URL.
  if (labels.every((l) => /^(0x[0-9a-f]*|\d+)$/.test(l))) {
    const v4 = parseIPv4(labels);
    return v4 === null ? "invalid" : classifyIPv4(v4);
  }
  if (METADATA_NAMES.has(host)) return "metadata";
  if (host === "localhost" || host.endsWith(".localhost")) return "loopback";
  if (labels.length < 2 || PRIVATE_SUFFIXES.some((s) => host === s || host.endsWith(`.${s}`))) return "internal-name";
  return "public";
}

/** One part of an IPv4 address: decimal, 0x hex, or octal when it starts with 0. */
function ipv4Part(part: string): number {
  if (/^0x[0-9a-f]*$/.test(part)) return part.length === 2 ? 0 : Number.parseInt(part.slice(2), 16);
  if (/^0[0-7]+$/.test(part)) return Number.parseInt(part, 8);
  return /^(0|[1-9]\d*)$/.test(part) ? Number(part) : Number.NaN;
}

/** IPv4 as the WHATWG URL parser reads it: 1–4 parts, the last filling the bytes the others leave. */
function parseIPv4(labels: string[]): number | null {
  if (labels.length > 4) return null;
  const parts = labels.map(ipv4Part);
  if (parts.some((p) => Number.isNaN(p))) return null;
  const last = parts.pop() as number;
  if (parts.some((p) => p > 255) || last >= 256 ** (4 - parts.length)) return null;
  return parts.reduce((acc, p, i) => acc + p * 256 ** (3 - i), 0) + last;
}

const v4 = (a: number, b: number, c: number, d: number) => ((a * 256 + b) * 256 + c) * 256 + d;

/** [network, prefix length, kind], most specific first. */
const IPV4_RANGES: [number, number, HostKind][] = [
  [v4(169, 254, 169, 254), 32, "metadata"],
  [v4(169, 254, 170, 2), 32, "metadata"],
  [v4(100, 100, 100, 200), 32, "metadata"],
  [v4(192, 0, 0, 192), 32, "metadata"],
  [v4(168, 63, 129, 16), 32, "metadata"],
  [v4(0, 0, 0, 0), 8, "unspecified"],
  [v4(10, 0, 0, 0), 8, "private"],
  [v4(100, 64, 0, 0), 10, "shared"],
  [v4(127, 0, 0, 0), 8, "loopback"],
  [v4(169, 254, 0, 0), 16, "link-local"],
  [v4(172, 16, 0, 0), 12, "private"],
  [v4(192, 0, 0, 0), 24, "reserved"],
  [v4(192, 0, 2, 0), 24, "reserved"],
  [v4(192, 168, 0, 0), 16, "private"],
  [v4(198, 18, 0, 0), 15, "reserved"],
  [v4(198, 51, 100, 0), 24, "reserved"],
  [v4(203, 0, 113, 0), 24, "reserved"],
  [v4(224, 0, 0, 0), 4, "multicast"],
  [v4(240, 0, 0, 0), 4, "reserved"],
];

function classifyIPv4(address: number): HostKind {
  for (const [network, bits, kind] of IPV4_RANGES) {
    const size = 2 ** (32 - bits);
    if (Math.floor(address / size) === Math.floor(network / size)) return kind;
  }
  return "public";
}

/** An IPv6 address as a 128-bit integer, or null. Accepts `::` and a trailing dotted IPv4. */
function parseIPv6(text: string): bigint | null {
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const groups = halves.map((h) => (h ? h.split(":") : []));
  for (const g of groups) {
    const tail = g.at(-1);
    if (tail?.includes(".")) {
      const quad = tail.split(".");
      const addr = quad.length === 4 && quad.every((q) => /^\d{1,3}$/.test(q)) ? parseIPv4(quad) : null;
      if (addr === null || g !== groups.at(-1)) return null;
      g.splice(-1, 1, (addr >>> 16).toString(16), (addr & 0xffff).toString(16));
    }
  }
  const [head = [], rest = []] = groups;
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const all = [...head, ...Array<string>(halves.length === 1 ? 0 : missing).fill("0"), ...rest];
  if (!all.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return null;
  return all.reduce((acc, g) => (acc << 16n) | BigInt(Number.parseInt(g, 16)), 0n);
}

const v6 = (text: string) => parseIPv6(text) as bigint;

/**
 * [network, prefix length, kind], most specific first. "embedded" ranges are judged by their IPv4
 * address; "compatible" ones (deprecated) are reserved, unless that address is a metadata service's.
 */
const IPV6_RANGES: [bigint, number, HostKind | "embedded" | "compatible"][] = [
  [v6("fd00:ec2::254"), 128, "metadata"],
  [v6("::"), 128, "unspecified"],
  [v6("::1"), 128, "loopback"],
  [v6("::ffff:0:0"), 96, "embedded"],
  [v6("::ffff:0:0:0"), 96, "embedded"],
  [v6("64:ff9b::"), 96, "embedded"],
  [v6("::"), 96, "compatible"],
  [v6("64:ff9b:1::"), 48, "private"],
  [v6("100::"), 64, "reserved"],
  [v6("2001::"), 23, "reserved"],
  [v6("2001:db8::"), 32, "reserved"],
  [v6("3fff::"), 20, "reserved"],
  [v6("fc00::"), 7, "private"],
  [v6("fe80::"), 10, "link-local"],
  [v6("fec0::"), 10, "private"],
  [v6("ff00::"), 8, "multicast"],
];

function classifyIPv6(address: bigint): HostKind {
  // 6to4 (2002::/16) carries an IPv4 address in its next 32 bits.
  if (address >> 112n === 0x2002n) return classifyIPv4(Number((address >> 80n) & 0xffffffffn));
  for (const [network, bits, kind] of IPV6_RANGES) {
    const shift = BigInt(128 - bits);
    if (address >> shift !== network >> shift) continue;
    if (kind !== "embedded" && kind !== "compatible") return kind;
    const inside = classifyIPv4(Number(address & 0xffffffffn));
    return kind === "embedded" || inside === "metadata" ? inside : "reserved";
  }
  return "public";
}
