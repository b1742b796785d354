import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");
const depcruise = path.join(root, "node_modules/dependency-cruiser/bin/dependency-cruise.mjs");

/** Runs the import rules as `npm run lint` does: the exit status and the report it prints. */
function cruise(paths: string[]) {
  const run = spawnSync(process.execPath, [depcruise, ...paths, "--config", ".dependency-cruiser.cjs"], {
    cwd: root,
    encoding: "utf8",
  });
  return { status: run.status, report: run.stdout + run.stderr };
}

describe("the layers of the code", () => {
  it.each([
    {
      rule: "components-only-to-lib",
      file: "app/components/layers-probe.tsx",
      source: 'import type { Executor } from "~/../db/engine";\nexport type Probe = Executor;\n',
      to: "db/engine.ts",
    },
    {
      rule: "routes-only-to-modules-components-auth-lib",
      file: "app/routes/layers-probe.tsx",
      source: 'import { openDatabase } from "../../db/engine";\nexport const probe = openDatabase;\n',
      to: "db/engine.ts",
    },
    {
      rule: "module-levels-0",
      file: "app/modules/patients/layers-probe.server.ts",
      source:
        'import { visitSettings } from "~/modules/infusions/infusions.server";\nexport const probe = visitSettings;\n',
      to: "app/modules/infusions/infusions.server.ts",
    },
  ])("refuses a wrong import and names the rule it breaks: $rule", ({ rule, file, source, to }) => {
    writeFileSync(path.join(root, file), source);
    try {
      const { status, report } = cruise([file]);
      expect(status).not.toBe(0);
      expect(report).toContain(`error ${rule}: ${file} → ${to}`);
    } finally {
      rmSync(path.join(root, file), { force: true });
    }
  });

  it("finds no wrong import in the tree", () => {
    const { status, report } = cruise(["app", "db", "server", "emails", "bench"]);
    expect(report).toContain("no dependency violations found");
    expect(status).toBe(0);
  }, 120_000);
});
