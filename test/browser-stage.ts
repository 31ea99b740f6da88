/**
 * The stage a browser test runs against, as `npm start` runs it: the web app behind the local
 * server, the local OpenID Connect provider on a port of its own, and Debian's Chromium (no
 * browser download); and the accessibility scan every page passes.
 */
import { existsSync, mkdtempSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AxeBuilder } from "@axe-core/playwright";
import { type Browser, chromium, type Page } from "playwright-core";
import { expect } from "vitest";
import { createInvoker } from "../local/invoke.ts";
import { type DemoPerson, startIdentityProvider, WEB_CLIENT_ID } from "../local/oidc.ts";
import { startServer } from "../local/server.ts";
import type { Clock } from "../shared/app/ports.ts";
import { OidcIdentityProvider } from "../shared/web/identity.ts";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Fails at once, saying what to install, when there is no Chromium to drive. */
export function needChromium(): void {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
}

/** Starts the web app, the identity provider (with these people) and Chromium; each is closed by `closers`. */
export async function startWebStage(opts: {
  clock: Clock;
  people: DemoPerson[];
  closers: (() => unknown)[];
}): Promise<{ app: string; browser: Browser }> {
  let app = "";
  let issuer = "";
  const invoke = createInvoker({
    clock: opts.clock,
    identity: () => new OidcIdentityProvider(issuer, WEB_CLIENT_ID),
    appUrl: () => app,
  });
  const server = await startServer(0, "127.0.0.1", invoke);
  app = `http://localhost:${(server.address() as AddressInfo).port}`;
  opts.closers.push(() => server.close());
  // A free port for the provider: one the system hands out, let go again.
  const probe = await startServer(0, "127.0.0.1", invoke);
  const idpPort = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  const idp = await startIdentityProvider({
    port: idpPort,
    appUrl: app,
    dir: mkdtempSync(join(tmpdir(), "elevvakt-oidc-")),
    people: opts.people,
  });
  issuer = idp.issuer;
  opts.closers.push(() => idp.server.close());
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  opts.closers.push(() => browser.close());
  return { app, browser };
}

/**
 * axe-core on the page through @axe-core/playwright (it injects axe with evaluate, which the CSP —
 * no script tag — allows): no serious or critical violation of WCAG 2.1 AA.
 */
export async function accessible(page: Page): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    bad.map((v) => `${v.id} (${v.impact}) at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
    page.url(),
  ).toEqual([]);
}
