import type { RequestLine } from "@tranche/shared";
import { InvalidArgumentError } from "commander";

export interface LineFilter {
  /** Statuses, each exact (`404`) or a class (`4xx`); any when absent. */
  status?: string[];
  /** Methods, upper case; any when absent. */
  method?: string[];
  pathPrefix?: string;
}

const STATUS = /^[1-5](?:xx|\d\d)$/;

/** `--status 4xx,500`: commander's parser, so a bad value prints usage and exits 2. */
export function statuses(value: string): string[] {
  const list = value.toLowerCase().split(",").filter(Boolean);
  const bad = list.find((s) => !STATUS.test(s));
  if (bad !== undefined || list.length === 0) {
    throw new InvalidArgumentError("comma-separated statuses, each exact (404) or a class (4xx)");
  }
  return list;
}

/** `--method get,post`. */
export function methods(value: string): string[] {
  const list = value.toUpperCase().split(",").filter(Boolean);
  if (list.length === 0 || list.some((m) => !/^[A-Z]+$/.test(m))) {
    throw new InvalidArgumentError("comma-separated HTTP methods, e.g. POST,DELETE");
  }
  return list;
}

export function matches(filter: LineFilter, line: RequestLine): boolean {
  const status = String(line.status);
  if (filter.status && !filter.status.some((s) => s === status || (s.endsWith("xx") && s[0] === status[0]))) {
    return false;
  }
  if (filter.method && !filter.method.includes(line.method)) return false;
  return !filter.pathPrefix || line.path.startsWith(filter.pathPrefix);
}

/** `03:10:12.345  POST   /v1/customers  201  12 ms  req_…` */
export const formatLine = (l: RequestLine): string =>
  `${l.at.slice(11, 23)}  ${l.method.padEnd(6)} ${l.path}  ${l.status}  ${l.ms} ms  ${l.request_id}`;
