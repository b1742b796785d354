import { AsyncLocalStorage } from "node:async_hooks";
import type { NextFunction, Request, Response } from "express";
import type { LogEvent } from "kysely";

/**
 * For the benchmark (`npm run bench`): with SQL_COUNT=1 the server counts the SQL statements each
 * request runs, through Kysely's log hook, and answers with the count in `X-Sql-Count`. Off by
 * default; read here rather than in env.server.ts because it is a diagnostic, not configuration.
 */
export const sqlCountEnabled = process.env.SQL_COUNT === "1";

const current = new AsyncLocalStorage<{ statements: number }>();

/** Kysely's `log` option: counts a statement (failed ones too) against the request that ran it. */
export function countStatement(_event: LogEvent): void {
  const counter = current.getStore();
  if (counter) counter.statements++;
}

export function sqlCountMiddleware(_req: Request, res: Response, next: NextFunction): void {
  const counter = { statements: 0 };
  const writeHead = res.writeHead;
  // Headers go out once the loaders and actions are done: the count is complete by then.
  res.writeHead = function (this: Response, ...args: Parameters<Response["writeHead"]>) {
    if (!this.headersSent) this.setHeader("X-Sql-Count", String(counter.statements));
    return writeHead.apply(this, args);
  } as Response["writeHead"];
  current.run(counter, next);
}
