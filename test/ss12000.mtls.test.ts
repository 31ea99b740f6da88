/**
 * A school system that authenticates Elevvakt by a client certificate (mutual TLS, issue 20), through
 * the worker's own composition (`schoolSystemsOf`): the certificate and key kept together in one PEM
 * secret where the connector's `certificateRef` points, presented on every connection. Certificates
 * are made for the test with openssl: an authority, the system's server certificate, Elevvakt's
 * client certificate, and a stranger's signed by nobody the system trusts.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectorStoreOf, schoolSystemsOf } from "../functions/ss12000.ts";
import { startSs12000Server } from "../local/ss12000-server.ts";
import { clientCertificateOf, mtlsFetch } from "../shared/adapters/mtls.ts";
import type { ConnectorConfig } from "../shared/ss12000/ports.ts";
import { municipalityFixture, runtime, setToday, useTable } from "./helpers.ts";
import { freshWeek, type Municipality, TODAY } from "./ss12000-harness.ts";

useTable();
let m: Municipality;
const dir = mkdtempSync(join(tmpdir(), "elevvakt-mtls-"));
const file = (name: string) => readFileSync(join(dir, name), "utf8");
const servers: { close(): Promise<void> }[] = [];

/** A key and a certificate for `cn`, signed by the test authority (or by itself: a stranger). */
function certificate(name: string, cn: string, ext: string, signedBy?: "ca") {
  const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  const curve = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", `${name}.key`];
  writeFileSync(join(dir, `${name}.ext`), `${ext}\n`);
  if (!signedBy) {
    openssl("req", "-x509", ...curve, "-out", `${name}.crt`, "-days", "2", "-subj", `/CN=${cn}`, "-addext", ext);
    return;
  }
  openssl("req", ...curve, "-out", `${name}.csr`, "-subj", `/CN=${cn}`);
  openssl(
    "x509",
    "-req",
    "-in",
    `${name}.csr`,
    "-CA",
    "ca.crt",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-out",
    `${name}.crt`,
    "-days",
    "2",
    "-extfile",
    `${name}.ext`,
  );
}

beforeAll(async () => {
  setToday(TODAY);
  m = await municipalityFixture();
  certificate("ca", "Skolsystemets test-CA", "basicConstraints=critical,CA:TRUE");
  certificate("server", "127.0.0.1", "subjectAltName=IP:127.0.0.1", "ca");
  certificate("elevvakt", `elevvakt-${m.kommunkod}`, "extendedKeyUsage=clientAuth", "ca");
  certificate("stranger", "elevvakt-stranger", "extendedKeyUsage=clientAuth");
});
afterAll(async () => {
  for (const s of servers) await s.close();
});

const connector = (systemId: string, baseUrl: string, schoolUnits: string[]): ConnectorConfig => ({
  kommunkod: m.kommunkod,
  systemId,
  baseUrl,
  auth: { kind: "mtls", certificateRef: "env:SS12000_CLIENT_CERTIFICATE" },
  schoolUnits,
  schedule: { hours: [7] },
  absenceDays: 7,
  enabled: true,
  updatedAt: new Date().toISOString(),
  updatedBy: `municipality:${m.kommunkod}`,
});

describe("a school system that asks for a client certificate (mTLS)", () => {
  it("syncs with the certificate the connector's secret holds, and a stranger's certificate gets nothing in", async () => {
    const { s1, s2, data } = await freshWeek(m);
    const server = await startSs12000Server(data, {
      tls: { key: file("server.key"), cert: file("server.crt"), ca: file("ca.crt") },
    });
    servers.push(server);
    expect(server.url).toMatch(/^https:/);
    const connectors = connectorStoreOf(process.env);
    await connectors.saveConnector(connector("mtls-ok", server.url, [s1, s2]));
    await connectors.saveConnector(connector("mtls-stranger", server.url, [s1, s2]));
    const asked: string[] = [];
    // The secret reference resolved as the worker resolves it: from the environment (the local stage's way).
    const systems = (pem: string) =>
      schoolSystemsOf({ ...process.env, SS12000_CLIENT_CERTIFICATE: pem }, runtime(), {
        secret: async (ref) => {
          asked.push(ref);
          return pem;
        },
        sleep: async () => {},
        trust: file("ca.crt"),
      });

    const ok = await systems(`${file("elevvakt.crt")}\n${file("elevvakt.key")}`).sync(
      m.kommunkod,
      "mtls-ok",
      new Date("2026-09-14T05:00:00Z"),
    );
    expect(ok).toEqual({ status: "ok" });
    expect(asked).toEqual(["env:SS12000_CLIENT_CERTIFICATE"]);
    const [sync] = await connectors.syncs(m.kommunkod, "mtls-ok");
    expect(sync?.counts).toMatchObject({ enrolled: 6, pendingRelease: 1 });
    // No token was asked for: the certificate is the sign-in.
    expect(server.requests.some((r) => r.path === "/token")).toBe(false);

    const before = server.requests.length;
    const stranger = await systems(`${file("stranger.crt")}\n${file("stranger.key")}`).sync(
      m.kommunkod,
      "mtls-stranger",
      new Date(),
    );
    expect(stranger.status).toBe("failed");
    // Refused in the handshake: the system never answered a request, and nothing was written.
    expect(server.requests.length).toBe(before);
    expect((await connectors.syncs(m.kommunkod, "mtls-stranger"))[0]).toMatchObject({
      status: "failed",
      counts: { enrolled: 0 },
    });
    // And Elevvakt checks the system's certificate: one its trust store does not know is not talked to.
    const untrusting = mtlsFetch(clientCertificateOf(`${file("elevvakt.crt")}\n${file("elevvakt.key")}`));
    await expect(untrusting(`${server.url}/organisations`, { method: "GET", headers: {} })).rejects.toThrow(/certificate/);
    expect(server.requests.length).toBe(before);
  });

  it("a secret without a certificate and its key is refused without quoting it", () => {
    const key = file("elevvakt.key");
    expect(clientCertificateOf(`${file("elevvakt.crt")}${key}`).key).toBe(key.trim());
    for (const pem of [file("elevvakt.crt"), key, "not a certificate"]) {
      let said = "";
      try {
        clientCertificateOf(pem);
      } catch (err) {
        said = (err as Error).message;
      }
      expect(said).toMatch(/must hold a PEM certificate and its unencrypted private key/);
      expect(said).not.toContain("BEGIN");
    }
  });
});
