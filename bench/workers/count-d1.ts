// Bench only: counts every D1 statement Hubbub executes, without touching worker/.
//
// The bench runs Hubbub from its own wrangler.toml with one addition, an `alias` that bundles this
// module wherever the Worker imports "drizzle-orm/d1". All of Hubbub's D1 access goes through
// `drizzle()` (worker/db/client.ts) or the binding it holds (`db.$client`, which the room-list flush
// uses for one raw statement), so wrapping the D1 binding handed to it sees every statement:
// each run/all/first/raw is one query, a batch counts each of its statements. The counts live in
// this module (one isolate runs the Worker and its Durable Objects) and are printed, and reset,
// when the bench asks: a query that binds the marker below (the bench searches users for it),
// which is itself not counted. One line per scenario phase, so counting costs nothing meanwhile:
//
//   [bench-d1] {"alarm":12,"ws":0,"http":3}
//
// `origin` is where the call came from, read off the JavaScript stack (async frames included):
// `alarm` (a Room's batched summary flush: RoomListSync.run from AlarmClock.ring), `ws` (a socket frame: the hot path), `channel` (a UserChannel), `http` (everything else). A call whose stack names neither counts as
// `http`, never as `alarm`, so an unexpected query on the hot path cannot hide in the batched bucket.

// The real driver, by file path: the alias maps the package specifier (and its subpaths) here.
import { drizzle as realDrizzle } from "../../node_modules/drizzle-orm/d1/driver.js";

type Statement = {
  bind(...values: unknown[]): Statement;
  run(...args: unknown[]): Promise<unknown>;
  all(...args: unknown[]): Promise<unknown>;
  first(...args: unknown[]): Promise<unknown>;
  raw(...args: unknown[]): Promise<unknown>;
};
type Client = {
  prepare(query: string): Statement;
  batch(statements: Statement[]): Promise<unknown>;
  exec(query: string): Promise<unknown>;
};

export const FLUSH_MARKER = "benchflushmarker";

const counted = new WeakSet<object>();
const markers = new WeakSet<object>();
const counts: Record<string, number> = {};

function origin(): string {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 64;
  const stack = new Error().stack ?? "";
  Error.stackTraceLimit = limit;
  if (/\bRoomListSync\.run\b|\bAlarmClock\.ring\b|\bRoom\.alarm\b/.test(stack)) return "alarm";
  if (/\bwebSocketMessage\b/.test(stack)) return stack.includes("UserChannel") ? "channel" : "ws";
  if (/\bUserChannel\b/.test(stack)) return "channel";
  return "http";
}

function record(count: number): void {
  const from = origin();
  counts[from] = (counts[from] ?? 0) + count;
}

function flush(): void {
  console.warn(`[bench-d1] ${JSON.stringify(counts)}`);
  for (const key of Object.keys(counts)) delete counts[key];
}

function wrapStatement(statement: Statement): Statement {
  if (counted.has(statement)) return statement;
  counted.add(statement);
  const bind = statement.bind.bind(statement);
  statement.bind = (...values: unknown[]) => {
    const bound = wrapStatement(bind(...values));
    if (values.some((value) => typeof value === "string" && value.includes(FLUSH_MARKER))) markers.add(bound);
    return bound;
  };
  for (const method of ["run", "all", "first", "raw"] as const) {
    const call = statement[method].bind(statement);
    statement[method] = (...args: unknown[]) => {
      if (markers.has(statement)) flush();
      else record(1);
      return call(...args);
    };
  }
  return statement;
}

function wrapClient(client: Client): Client {
  return new Proxy(client, {
    get(target, property) {
      if (property === "prepare") return (query: string) => wrapStatement(target.prepare(query));
      if (property === "batch") {
        return (statements: Statement[]) => {
          record(statements.length);
          return target.batch(statements);
        };
      }
      if (property === "exec") {
        return (query: string) => {
          record(1);
          return target.exec(query);
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

export const drizzle = ((client: Client, config?: unknown) =>
  (realDrizzle as (client: unknown, config?: unknown) => unknown)(
    wrapClient(client),
    config,
  )) as unknown as typeof realDrizzle;
