import { env } from "cloudflare:test";
import type { CustomerObject } from "../src/objects/customer";

/**
 * The read model lags the write: a customer object hands its changes to the projection queue after
 * its answer, and the queue's consumer writes them to D1. `settled()` waits until D1 has what every
 * customer touched since the last wait has handed over, asking each object whether D1 lacks
 * anything (the sweep's comparison).
 *
 * The customers touched are every object the Worker names: the namespace's `idFromName` is wrapped
 * once per isolate (the tests' Worker and objects run in this one), as test/cost-meter.ts wraps the
 * bindings.
 */
interface Recording {
  touched: Set<string>;
  /** Objects whose projection a test has taken over (test/projection/kit.ts): D1 gets nothing of them. */
  ignored: Set<string>;
  idFromName: (name: string) => DurableObjectId;
}

const KEY = Symbol.for("tranche.test.settle");
const holder = globalThis as { [KEY]?: Recording };

function recording(): Recording {
  const existing = holder[KEY];
  if (existing) return existing;
  const proto = Object.getPrototypeOf(env.CUSTOMERS) as { idFromName: (name: string) => DurableObjectId };
  const original = proto.idFromName;
  const made: Recording = {
    touched: new Set(),
    ignored: new Set(),
    idFromName: (name) => original.call(env.CUSTOMERS, name),
  };
  proto.idFromName = function (this: unknown, name: string) {
    // `<merchant id>:<customer id>`: the readiness probe's object is no customer's.
    if (name.includes(":") && !made.ignored.has(name)) made.touched.add(name);
    return original.call(this, name);
  };
  holder[KEY] = made;
  return made;
}
recording();

/** Stops waiting for an object whose projection queue a test replaced. */
export function ignoreObject(name: string): void {
  const { touched, ignored } = recording();
  ignored.add(name);
  touched.delete(name);
}

/** Long enough for a queue batch in the tests' configuration; a projection stuck longer is a failure of its own. */
const TIMEOUT_MS = 5_000;
const POLL_MS = 5;

/**
 * Waits until D1 has everything of the customers touched: each object is asked how far D1 is
 * behind it, until nothing is missing, or what is missing was never accepted by the queue (a push
 * that failed: only the object's alarm will send it, as a test that fails pushes means).
 */
export async function settled(): Promise<void> {
  const { touched, idFromName } = recording();
  const deadline = Date.now() + TIMEOUT_MS;
  while (touched.size > 0) {
    const names = [...touched];
    const lags = await Promise.all(
      names.map((name) =>
        (env.CUSTOMERS.get(idFromName(name)) as DurableObjectStub<CustomerObject>).readModelLag().then(
          (lag) => ({ name, lag }),
          // An object reset under the test (abortAllDurableObjects) answers on the next call.
          () => ({ name, lag: { missing: 1, unsent: false } }),
        ),
      ),
    );
    for (const { name, lag } of lags) if (lag.missing === 0 || lag.unsent) touched.delete(name);
    if (touched.size === 0) return;
    if (Date.now() > deadline) throw new Error(`D1 still lacks what the projection queue took of ${[...touched]}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Whether a request reads D1 (a list, the events, a report); a customer's or a purchase's own object answers the rest. */
export function readsReadModel(method: string, path: string): boolean {
  if (method === "POST" && (path === "/v1/customers" || path === "/v1/purchases")) return false;
  if (/^\/v1\/(test_helpers\/)?(customers\/cus_|purchases\/pur_)/.test(path)) return false;
  return true;
}
