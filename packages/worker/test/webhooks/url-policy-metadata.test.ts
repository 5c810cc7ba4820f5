// Every spelling of every cloud metadata address the URL policy knows is refused in both modes:
// IPv4 in dotted, decimal, octal, hex and short forms, IPv6 forms carrying it (mapped, SIIT,
// compatible, NAT64, 6to4) in any case, and the metadata host names with trailing dots and capitals.
import { describe, expect, it } from "vitest";
import { checkWebhookUrl, type UrlPolicy } from "../../src/webhooks/rules/url-policy";

const LIVE: UrlPolicy = { livemode: true, allowHttp: false };
const TEST: UrlPolicy = { livemode: false, allowHttp: true };

const METADATA_IPV4: [number, number, number, number][] = [
  [169, 254, 169, 254],
  [169, 254, 170, 2],
  [100, 100, 100, 200],
  [192, 0, 0, 192],
  [168, 63, 129, 16],
];

const hex = (n: number) => n.toString(16);
const octal = (n: number) => `0${n.toString(8)}`;

/** The hosts that spell one IPv4 address. */
function spellings([a, b, c, d]: [number, number, number, number]): string[] {
  const n = ((a * 256 + b) * 256 + c) * 256 + d;
  const [high, low] = [hex(a * 256 + b), hex(c * 256 + d)];
  const dotted = `${a}.${b}.${c}.${d}`;
  return [
    dotted,
    `${dotted}.`,
    String(n),
    `0x${hex(n)}`,
    `0X${hex(n).toUpperCase()}`,
    `0${n.toString(8)}`,
    [a, b, c, d].map(octal).join("."),
    [a, b, c, d].map((p) => `0x${hex(p)}`).join("."),
    `0x${hex(a)}.${b}.${octal(c)}.${d}`,
    `${a}.${b}.${c * 256 + d}`,
    `${a}.${b * 65536 + c * 256 + d}`,
    `[::ffff:${dotted}]`,
    `[::ffff:${high}:${low}]`,
    `[::FFFF:${high.toUpperCase()}:${low.toUpperCase()}]`,
    `[0:0:0:0:0:ffff:${high}:${low}]`,
    `[0000:0000:0000:0000:0000:ffff:${high}:${low}]`,
    `[::ffff:0:${high}:${low}]`,
    `[::ffff:0:${dotted}]`,
    `[0:0:0:0:ffff:0:${high}:${low}]`,
    `[::${dotted}]`,
    `[::${high}:${low}]`,
    `[64:ff9b::${high}:${low}]`,
    `[64:ff9b::${dotted}]`,
    `[2002:${high}:${low}::1]`,
  ];
}

const METADATA_NAMES = [
  "metadata",
  "metadata.",
  "METADATA",
  "Metadata..",
  "metadata.google.internal",
  "metadata.google.internal.",
  "METADATA.GOOGLE.INTERNAL",
  "metadata.goog",
  "instance-data",
  "instance-data.ec2.internal",
];

const IPV6_METADATA = ["[fd00:ec2::254]", "[FD00:EC2::254]", "[fd00:ec2:0:0:0:0:0:254]", "[fd00:0ec2::0254]"];

const TABLE = [
  ...METADATA_IPV4.flatMap((address) => spellings(address).map((host) => [address.join("."), host])),
  ...METADATA_NAMES.map((host) => ["a metadata name", host]),
  ...IPV6_METADATA.map((host) => ["fd00:ec2::254", host]),
];

describe("cloud metadata services, in every spelling", () => {
  it.each(TABLE)("refuses %s spelled %s, in live and in test mode", (_, host) => {
    for (const policy of [LIVE, TEST]) {
      for (const url of [`https://${host}/latest/meta-data/`, `http://${host}:80/`]) {
        const verdict = checkWebhookUrl(url, policy);
        expect(verdict.ok, `${url} ${JSON.stringify(policy)}`).toBe(false);
        if (!verdict.ok && url.startsWith("https")) expect(verdict.reason).toMatch(/cloud metadata service/);
      }
    }
  });

  it("judges the SIIT and compatible IPv6 ranges by the IPv4 address inside", () => {
    const reason = (url: string) => {
      const verdict = checkWebhookUrl(url, LIVE);
      return verdict.ok ? "allowed" : verdict.reason;
    };
    expect(reason("https://[::ffff:0:a00:1]/")).toMatch(/private address/);
    expect(reason("https://[::ffff:0:7f00:1]/")).toMatch(/loopback/);
    expect(reason("https://[::ffff:0:808:808]/")).toBe("allowed");
    // The deprecated IPv4-compatible form never reaches a public host in live mode.
    expect(reason("https://[::808:808]/")).toMatch(/reserved/);
    expect(checkWebhookUrl("https://[::808:808]/", { livemode: false, allowHttp: false }).ok).toBe(true);
  });
});
