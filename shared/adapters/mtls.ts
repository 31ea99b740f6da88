/**
 * A school system that authenticates Elevvakt by a client certificate (mutual TLS, issue 20;
 * Stockholm's platform serves aggregatedAttendance so): the certificate and its private key, kept
 * together in one PEM secret where the connector's `certificateRef` points, and a `fetch` that
 * presents them on every connection. Plain node:https; the system's own certificate is checked
 * against the system's trust store (a test hands in its own authority).
 */
import { request } from "node:https";
import type { Fetch } from "../ss12000/ports.ts";

/** A client's certificate (with its chain) and private key, PEM. */
export interface ClientCertificate {
  cert: string;
  key: string;
}

const CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const PRIVATE_KEY = /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC )?PRIVATE KEY-----/;

/** The certificate and key of a PEM secret holding both (`cat client.crt client.key`); an error that quotes nothing of it otherwise. */
export function clientCertificateOf(pem: string): ClientCertificate {
  const certs = pem.match(CERTIFICATE) ?? [];
  const key = PRIVATE_KEY.exec(pem)?.[0];
  if (!certs.length || !key) {
    throw new Error("the client certificate secret must hold a PEM certificate and its unencrypted private key");
  }
  return { cert: certs.join("\n"), key };
}

/** A `fetch` that presents the client certificate; `ca` replaces the trust store (tests only). */
export function mtlsFetch(identity: ClientCertificate, opts: { ca?: string; timeoutMs?: number } = {}): Fetch {
  return (url, init) =>
    new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method: init.method,
          headers: init.headers,
          cert: identity.cert,
          key: identity.key,
          ...(opts.ca ? { ca: opts.ca } : {}),
          timeout: opts.timeoutMs ?? 30_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("error", reject);
          res.on("end", () => {
            const body = Buffer.concat(chunks).toString("utf8");
            resolve({
              status: res.statusCode ?? 0,
              headers: { get: (name) => String(res.headers[name.toLowerCase()] ?? "") || null },
              text: async () => body,
            });
          });
        },
      );
      req.on("timeout", () => req.destroy(new Error("the school system did not answer in time")));
      req.on("error", reject);
      if (init.body !== undefined) req.write(init.body);
      req.end();
    });
}
