import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The patches under patches/ are applied by `patch-package` at install. If a dependency is upgraded
 * and its patch no longer fits, install fails (--error-on-fail) and this test names the patch.
 */
const root = path.resolve(__dirname, "../..");
const patches = readdirSync(path.join(root, "patches")).filter((name) => name.endsWith(".patch"));

describe("patched dependencies", () => {
  it.each(patches)("%s is for the installed version and is applied", (name) => {
    const [, pkg = "", version = ""] = /^(.+)\+([^+]+)\.patch$/.exec(name)!;
    const installed = JSON.parse(readFileSync(path.join(root, "node_modules", pkg, "package.json"), "utf8"));
    expect(installed.version).toBe(version);
    // Reversing applies cleanly only if every hunk of the patch is in the installed files.
    expect(() =>
      execFileSync("git", ["apply", "--check", "--reverse", path.join("patches", name)], { cwd: root, stdio: "pipe" }),
    ).not.toThrow();
  });

  it("the PostgreSQL driver fails a write on a closed connection instead of throwing from a timer", () => {
    for (const build of ["src", "cjs/src", "cf/src"]) {
      const source = readFileSync(path.join(root, "node_modules/postgres", build, "connection.js"), "utf8");
      expect(source).toMatch(/function nextWrite\(fn\) \{\n.*\n\s+if \(!socket\) \{[^\n]*CONNECTION_CLOSED/);
    }
  });
});
