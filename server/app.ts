import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { AppLoadContext, ServerBuild } from "@remix-run/node";
import express, { type NextFunction, type Request, type Response } from "express";
import helmet from "helmet";
import { migrationsAreCurrent } from "../db/migrator";
import type { Services } from "../app/context.server";
import { recordAudit } from "../app/audit/audit.server";
import { sqlCountEnabled, sqlCountMiddleware } from "./sql-count";
import { isConnectionError, type DbHealth } from "./db-health";

export interface AppOptions {
  services: Services;
  dbHealth: DbHealth;
  build: ServerBuild;
  /** Folder with `build/` client assets and static files. */
  publicDir: string;
  isShuttingDown: () => boolean;
}

const UNAVAILABLE_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Briefly unavailable · Ember Health Provider Portal</title></head>
<body><main><h1>The portal is briefly unavailable</h1><p>We cannot reach the database right now. Nothing you saved is lost. Wait a minute and try again; the page will work as soon as the database is back.</p></main></body></html>`;

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The largest body a request may carry: the portal's biggest form is a few KB. */
export const BODY_LIMIT_BYTES = 256 * 1024;

const bodyRefusedPage = (
  title: string,
  text: string,
) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title} · Ember Health Provider Portal</title></head>
<body><main><h1>${title}</h1><p>${text}</p><p><a href="/">Back to the portal</a></p></main></body></html>`;

/**
 * Refuses a body over the limit before anything reads it, with a page that says why. The length
 * is the declared Content-Length (Node never reads past it); a body of undeclared length, which
 * no browser sends for a form, is refused too. The connection is closed rather than drained.
 */
function limitBodySize(req: Request, res: Response, next: NextFunction) {
  if (req.method === "GET" || req.method === "HEAD") return next();
  const declared = req.get("content-length");
  const refuse = (status: number, title: string, text: string) =>
    res.status(status).set("Connection", "close").type("html").send(bodyRefusedPage(title, text));
  if (declared === undefined && req.get("transfer-encoding")) {
    refuse(
      411,
      "Length required",
      "This request did not say how large it is, so it was refused. Send the form again from the portal's page.",
    );
    return;
  }
  if (declared !== undefined && !(Number(declared) <= BODY_LIMIT_BYTES)) {
    refuse(
      413,
      "That was too much to send",
      `The portal accepts up to ${BODY_LIMIT_BYTES / 1024} KB in one form. Shorten what you entered, then send it again.`,
    );
    return;
  }
  next();
}

/**
 * A form or fetch that changes something must come from this portal's own pages. Browsers send
 * `Origin` on such requests; where an older one does not, `Sec-Fetch-Site` tells the same. A
 * refusal is audited like a refused patient: the signed-in user if the request carried a session,
 * the method and the path (never the query string or the body).
 */
function refuseCrossOrigin(services: Services) {
  return async (req: Request, res: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const origin = req.get("origin");
    const site = req.get("sec-fetch-site");
    const ownOrigin = `${req.protocol}://${req.get("host")}`;
    const crossOrigin = origin ? origin !== ownOrigin : site === "cross-site";
    if (!crossOrigin) return next();
    try {
      const sessionId = services.lucia.readSessionCookie(req.get("cookie") ?? "");
      // Read without touching the session: a refused request does not keep it alive.
      const [, user] = sessionId ? await services.sessions.getSessionAndUser(sessionId) : [null, null];
      await recordAudit(
        services.db,
        {
          actorId: user?.id ?? null,
          actorRole: user?.attributes.role ?? null,
          ip: req.ip ?? null,
          requestId: res.locals.requestId as string,
        },
        {
          action: "request.cross_origin",
          outcome: "denied",
          detail: { method: req.method, path: req.path.slice(0, 200) },
        },
      );
    } catch {
      // The refusal stands even when it cannot be recorded (the database may be down).
    }
    res.status(403).type("text/plain").send("This request came from another site and was refused.");
  };
}

export function createApp({ services, build, publicDir, isShuttingDown, dbHealth }: AppOptions) {
  const { config, db } = services;
  const app = express();
  app.disable("x-powered-by");
  if (sqlCountEnabled) app.use(sqlCountMiddleware);
  if (config.trustProxy) app.set("trust proxy", 1);

  app.use((_req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString("base64");
    res.locals.requestId = randomUUID();
    res.setHeader("X-Request-Id", res.locals.requestId);
    if (isShuttingDown()) res.setHeader("Connection", "close");
    next();
  });

  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'", (_req, res) => `'nonce-${(res as Response).locals.cspNonce}'`, "'strict-dynamic'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", "data:"],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          baseUri: ["'none'"],
          objectSrc: ["'none'"],
          ...(config.production ? { upgradeInsecureRequests: [] } : {}),
        },
      },
      strictTransportSecurity: config.production ? { maxAge: 63072000, includeSubDomains: true } : false,
      referrerPolicy: { policy: "same-origin" },
      crossOriginEmbedderPolicy: false,
    }),
  );
  app.use((_req, res, next) => {
    res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
    next();
  });

  app.get("/healthz", (_req, res) => {
    res.status(isShuttingDown() ? 503 : 200).json({ status: isShuttingDown() ? "shutting-down" : "ok" });
  });
  app.get("/readyz", async (_req, res) => {
    try {
      if (isShuttingDown()) throw new Error("shutting down");
      if (!(await dbHealth.check())) throw new Error("database unreachable");
      const current = await migrationsAreCurrent(db);
      res
        .status(current ? 200 : 503)
        .json({ status: current ? "ready" : "migrations-pending", engine: services.engine });
    } catch {
      res.status(503).json({ status: "database-unreachable", engine: services.engine });
    }
  });

  app.use("/build", express.static(path.join(publicDir, "build"), { immutable: true, maxAge: "1y" }));
  // The few other files public/ holds (the favicon), known at start: a page request is not
  // first looked for on disk.
  const publicFiles = new Set(
    existsSync(publicDir)
      ? readdirSync(publicDir)
          .filter((name) => name !== "build")
          .map((name) => `/${name}`)
      : [],
  );
  const servePublic = express.static(publicDir, { maxAge: "1h", index: false });
  app.use((req, res, next) => (publicFiles.has(req.path) ? servePublic(req, res, next) : next()));

  app.use(refuseCrossOrigin(services));
  app.use(limitBodySize);

  // While the database is unreachable, fail fast with a clear page instead of hanging.
  app.use((_req, res, next) => {
    if (dbHealth.isUp()) return next();
    res.status(503).set("Retry-After", "5").type("html").send(UNAVAILABLE_PAGE);
  });

  app.all(
    "*",
    createRequestHandler({
      build,
      mode: build.mode,
      getLoadContext: (req, res) => {
        const context: AppLoadContext = {
          ...services,
          requestId: res.locals.requestId as string,
          cspNonce: res.locals.cspNonce as string,
          ip: req.ip ?? req.socket.remoteAddress ?? "unknown",
          reportError: (error: unknown) => {
            if (!isConnectionError(error)) return;
            dbHealth.reportFailure();
            context.databaseLost = true;
          },
        };
        return context;
      },
    }),
  );
  return app;
}
