import type { APIResponse } from "@playwright/test";

/** The Content-Security-Policy as directive → values. */
export function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name!.toLowerCase(), values]),
  );
}

/** What is wrong with an answer's security headers; empty when nothing is. */
export function securityHeaderProblems(response: APIResponse): string[] {
  const headers = response.headers();
  const csp = directives(headers["content-security-policy"] ?? "");
  const scriptSrc = csp.get("script-src") ?? [];
  const problems: string[] = [];
  if (!scriptSrc.some((v) => /^'nonce-[A-Za-z0-9+/=]{16,}'$/.test(v)))
    problems.push(`script-src has no nonce: ${scriptSrc.join(" ")}`);
  if (scriptSrc.includes("'unsafe-inline'") || scriptSrc.includes("'unsafe-eval'"))
    problems.push("script-src allows inline or eval");
  if (csp.get("frame-ancestors")?.join(" ") !== "'none'") problems.push("frame-ancestors is not 'none'");
  if (csp.get("object-src")?.join(" ") !== "'none'") problems.push("object-src is not 'none'");
  if (headers["referrer-policy"] !== "same-origin") problems.push(`Referrer-Policy is ${headers["referrer-policy"]}`);
  if (headers["x-content-type-options"] !== "nosniff") problems.push("no X-Content-Type-Options: nosniff");
  if (headers["x-powered-by"]) problems.push("X-Powered-By is sent");
  return problems;
}
