/** The local HTTP server: Node's http in front of the same Lambda handlers (see invoke.ts). */
import { createServer, type Server } from "node:http";
import { localFilesOf, logOf } from "../functions/runtime.ts";
import { MAX_BODY_BYTES } from "../shared/http/http.ts";
import { type Invoke, invoke } from "./invoke.ts";

export function startServer(port: number, host = "127.0.0.1", handle: Invoke = invoke): Promise<Server> {
  // Any instance checks the links this process signed (the signing key is the process's own).
  const files = localFilesOf(process.env);
  const logger = logOf(process.env);
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES + 1024) {
        tooLarge = true;
        break;
      }
      chunks.push(chunk as Buffer);
    }
    try {
      // The address itself, opened in a browser: the web app (a JSON 404 says nothing to a person).
      if ((req.method ?? "GET") === "GET" && (req.url === "/" || req.url === "") && /text\/html/.test(req.headers.accept ?? "")) {
        res.writeHead(302, { location: "/app", "cache-control": "no-store" }).end();
        return;
      }
      // A large export's file (SPEC §9), through the short-lived link the API signed.
      if ((req.method ?? "GET") === "GET" && req.url?.startsWith("/files/")) {
        const url = new URL(req.url, "http://localhost");
        const file = await files.open(
          decodeURIComponent(url.pathname.slice("/files/".length)),
          url.searchParams.get("expires") ?? "",
          url.searchParams.get("sig") ?? "",
        );
        if (!file) {
          res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("No such file, or the link has lapsed.");
          return;
        }
        const csv = url.pathname.endsWith(".csv");
        res
          .writeHead(200, {
            "content-type": csv ? "text/csv; charset=utf-8" : "application/json",
            "cache-control": "no-store",
            "content-disposition": "attachment",
          })
          .end(file);
        return;
      }
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : (v ?? "")]),
      );
      const out = tooLarge
        ? {
            status: 413,
            headers: { "content-type": "application/problem+json" },
            body: JSON.stringify({
              type: "https://elevvakt.se/problems/payload_too_large",
              code: "payload_too_large",
              title: "Request body too large",
              status: 413,
              detail: `The body may be at most ${MAX_BODY_BYTES} bytes; split the batch.`,
            }),
          }
        : await handle(
            req.method ?? "GET",
            req.url ?? "/",
            headers,
            // A file uploaded (multipart) stays bytes: it may be Windows-1252, which UTF-8 text would spoil.
            /multipart\/form-data/i.test(headers["content-type"] ?? "")
              ? Buffer.concat(chunks)
              : Buffer.concat(chunks).toString("utf8"),
          );
      res.writeHead(out.status, { ...out.headers, ...("cookies" in out && out.cookies ? { "set-cookie": out.cookies } : {}) });
      res.end(out.body);
    } catch (err) {
      logger.error("local server failed", { error: (err as Error).name });
      res.writeHead(500, { "content-type": "application/problem+json" });
      res.end(
        JSON.stringify({
          type: "https://elevvakt.se/problems/internal_error",
          code: "internal_error",
          title: "Internal error",
          status: 500,
          detail: "Something went wrong.",
        }),
      );
    }
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve(server));
  });
}
