import { analyticsWindow } from "@tranche/shared";
import type { AuthContext } from "../../env";
import { modeOf } from "../points";
import type { Scope } from "../queries";

/** Whose data and which window a request asks about: the key's merchant and mode, and the window its answer states. */
export function analyticsScope(auth: AuthContext, params: { from?: string | undefined; to?: string | undefined }) {
  const { from, to } = analyticsWindow(params);
  const scope: Scope = { merchantId: auth.merchantId, mode: modeOf(auth.livemode), from, to };
  return { scope, stated: { livemode: auth.livemode, from: from.toISOString(), to: to.toISOString() } };
}
