import { describe, expect, it } from "vitest";
import { checkWebhookUrl, type UrlPolicy, urlPolicyFor } from "../../src/webhooks/rules/url-policy";
import { call, callWithEnv, createMerchant, expectProblem, liveKeyFor } from "../helpers";
import { BASE, createEndpoint, endpointBody, REFUSED_IN_LIVE, rowsOf, storedRow } from "./webhook-endpoints-kit";

const LIVE: UrlPolicy = { livemode: true, allowHttp: false };
const TEST: UrlPolicy = { livemode: false, allowHttp: false };
const DEV: UrlPolicy = { livemode: false, allowHttp: true };

const reasonOf = (url: string, policy: UrlPolicy) => {
  const verdict = checkWebhookUrl(url, policy);
  return verdict.ok ? "allowed" : verdict.reason;
};

describe("outbound URL policy", () => {
  it.each(Object.entries(REFUSED_IN_LIVE))("refuses %s in live mode", (_, urls) => {
    for (const url of urls) expect(reasonOf(url, LIVE), url).not.toBe("allowed");
  });

  it("allows public https hosts in live mode, as parsed", () => {
    for (const url of [
      "https://example.com/hooks?x=1",
      "https://shop.example.com:8443/tranche",
      "https://example.com:443/",
      "https://example.com:1024/",
      "https://93.184.216.34/",
      "https://100.63.255.255/",
      "https://100.128.0.1/",
      "https://172.15.255.255/",
      "https://172.32.0.1/",
      "https://[2606:4700:4700::1111]/",
      "https://[::ffff:8.8.8.8]/",
      "https://xn--bcher-kva.example/",
    ]) {
      expect(reasonOf(url, LIVE), url).toBe("allowed");
    }
    const verdict = checkWebhookUrl("https://EXAMPLE.com", LIVE);
    expect(verdict.ok && verdict.url.href).toBe("https://example.com/");
  });

  it("says why, naming the host", () => {
    expect(reasonOf("https://10.1.2.3/", LIVE)).toBe(
      "must reach a public host in live mode; 10.1.2.3 is a private address",
    );
    expect(reasonOf("https://0x7f.1/", LIVE)).toBe(
      "must reach a public host in live mode; 127.0.0.1 is a loopback address",
    );
    expect(reasonOf("https://100.64.0.1/", LIVE)).toMatch(/carrier-grade NAT/);
    expect(reasonOf("https://169.254.169.254/", TEST)).toBe(
      "must not point at a cloud metadata service (169.254.169.254)",
    );
    expect(reasonOf("http://example.com/", LIVE)).toBe("must use https");
    expect(reasonOf("http://example.com/", DEV)).toBe("must use https (http only to localhost)");
    expect(reasonOf("https://a:b@example.com/", LIVE)).toBe("must not contain a user name or password");
    expect(reasonOf("https://example.com:22/", LIVE)).toBe(
      "must use port 443 or a port from 1024 up in live mode, not 22",
    );
  });

  it("lets test mode reach private hosts and any port, over https only", () => {
    for (const url of [
      "https://10.0.0.5/hook",
      "https://192.168.1.20:3000/",
      "https://localhost:8443/",
      "https://[::1]:3000/",
      "https://printer.local/",
      "https://example.com:22/",
    ]) {
      expect(reasonOf(url, TEST), url).toBe("allowed");
    }
    for (const url of ["http://localhost:3000/", "http://127.0.0.1/", "http://example.com/"]) {
      expect(reasonOf(url, TEST), url).toBe("must use https");
    }
  });

  it("refuses metadata services and credentials in test mode too", () => {
    for (const url of [...(REFUSED_IN_LIVE.metadata ?? []), ...(REFUSED_IN_LIVE.credentials ?? [])]) {
      expect(reasonOf(url, TEST), url).not.toBe("allowed");
      expect(reasonOf(url, DEV), url).not.toBe("allowed");
    }
  });

  it("allows plain http to localhost only with the local-development flag, and never in live mode", () => {
    for (const url of [
      "http://localhost:3000/hook",
      "http://127.0.0.1:8788/",
      "http://[::1]:3000/",
      "http://a.localhost/",
    ]) {
      expect(reasonOf(url, DEV), url).toBe("allowed");
      expect(reasonOf(url, TEST), url).toBe("must use https");
      expect(reasonOf(url, { livemode: true, allowHttp: true }), url).toMatch(/public host/);
    }
    for (const url of ["http://10.0.0.1/", "http://example.com/", "http://0x7f.1.example/"]) {
      expect(reasonOf(url, DEV), url).toBe("must use https (http only to localhost)");
    }
  });

  it("reads the flag from the deployment: only the string true turns it on", () => {
    expect(urlPolicyFor({ WEBHOOK_ALLOW_HTTP: "true" }, false)).toEqual({ livemode: false, allowHttp: true });
    expect(urlPolicyFor({ WEBHOOK_ALLOW_HTTP: "1" }, true)).toEqual({ livemode: true, allowHttp: false });
    expect(urlPolicyFor({}, false)).toEqual({ livemode: false, allowHttp: false });
  });
});

describe("the URL policy at the API", () => {
  it("refuses every class of URL the live policy refuses with a 400 on url, writing nothing", async () => {
    const merchant = await createMerchant();
    const live = await liveKeyFor(merchant.id);
    for (const [kind, urls] of Object.entries(REFUSED_IN_LIVE)) {
      for (const url of urls) {
        const p = await expectProblem(call(BASE, { key: live, body: endpointBody({ url }) }), 400, "validation_error");
        expect(
          p.errors?.map((e) => e.path),
          `${kind}: ${url}`,
        ).toEqual(["url"]);
      }
    }
    expect(await rowsOf(merchant.id)).toBe(0);

    // The same policy holds on update: the URL stays what it was.
    const endpoint = await createEndpoint(live);
    const p = await expectProblem(
      call(`${BASE}/${endpoint.id}`, { key: live, method: "PATCH", body: { url: "https://10.0.0.7/hook" } }),
      400,
      "validation_error",
    );
    expect(p.detail).toBe("Invalid body: url: must reach a public host in live mode; 10.0.0.7 is a private address");
    expect(p.errors).toEqual([
      { path: "url", message: "must reach a public host in live mode; 10.0.0.7 is a private address" },
    ]);
    expect((await storedRow(endpoint.id)).url).toBe(endpoint.url);
  });

  it("lets test mode reach private hosts over https, and plain http to localhost only with the dev flag", async () => {
    const merchant = await createMerchant();
    const key = merchant.secret_key;
    const lan = await createEndpoint(key, { url: "https://192.168.1.20:3000/hook" });
    expect(lan.url).toBe("https://192.168.1.20:3000/hook");
    // The tests run with WEBHOOK_ALLOW_HTTP=true, as `pnpm dev` does.
    const local = await createEndpoint(key, { url: "http://localhost:8788/hook" });
    expect(local.url).toBe("http://localhost:8788/hook");
    await expectProblem(
      call(BASE, { key, body: endpointBody({ url: "http://example.com/" }) }),
      400,
      "validation_error",
    );
    await expectProblem(
      call(BASE, { key, body: endpointBody({ url: "https://169.254.169.254/" }) }),
      400,
      "validation_error",
    );

    // A deployment without the flag refuses plain http everywhere.
    const res = await callWithEnv(
      BASE,
      {
        method: "POST",
        headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
        body: JSON.stringify(endpointBody({ url: "http://localhost:8788/hook" })),
      },
      { WEBHOOK_ALLOW_HTTP: undefined },
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      code: "validation_error",
      errors: [{ path: "url", message: "must use https" }],
    });
    expect(await rowsOf(merchant.id)).toBe(2);
  });
});
