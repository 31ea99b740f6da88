/**
 * Where large exports' files lie (SPEC §9): an S3 bucket in AWS, fetched through a presigned link
 * that lapses after a few minutes; locally a directory under `.local/`, served by the local server
 * through a link signed the same way (`/files/<name>?expires=…&sig=…`).
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type Files, LINK_SECONDS } from "../app/ports.ts";

export const EXPORT_BUCKET_ENV = "EXPORT_BUCKET";

export type { Files } from "../app/ports.ts";

/**
 * The bucket of a deployed stage. The S3 client and the presigner are loaded on the export path
 * only, the first time a file is written or linked: no other request pays for them.
 */
export class S3Files implements Files {
  private readonly bucket: string;
  private s3?: ReturnType<typeof import("./s3.ts").s3Bucket>;
  constructor(bucket: string) {
    this.bucket = bucket;
  }
  private client() {
    this.s3 ??= import("./s3.ts").then((m) => m.s3Bucket(this.bucket));
    return this.s3;
  }
  async put(name: string, body: string, contentType: string) {
    await (await this.client()).put(name, body, contentType);
  }
  async link(name: string): Promise<string> {
    return (await this.client()).link(name, LINK_SECONDS);
  }
}

/** The local runtime's files: a directory, and links the local server checks before it serves one. */
export class LocalFiles implements Files {
  private static readonly secret = randomBytes(32);
  private readonly dir: string;
  private readonly base: string;
  /** `dir` where files lie (EXPORT_DIR), `base` the local server's address for them (FILES_URL). */
  constructor(dir = join(process.cwd(), ".local", "exports"), base = "http://localhost:3000/files") {
    this.dir = dir;
    this.base = base;
  }
  static sign(name: string, expires: number): string {
    return createHmac("sha256", LocalFiles.secret).update(`${name}\n${expires}`).digest("base64url");
  }
  async put(name: string, body: string) {
    await mkdir(this.dir, { recursive: true });
    await writeFile(join(this.dir, name), body);
  }
  async link(name: string, now: Date) {
    const expires = now.getTime() + LINK_SECONDS * 1000;
    return `${this.base}/${encodeURIComponent(name)}?expires=${expires}&sig=${LocalFiles.sign(name, expires)}`;
  }
  /** The file a link names, if the link is genuine and has not lapsed. */
  async open(name: string, expires: string, sig: string, now = Date.now()): Promise<Buffer | undefined> {
    if (!/^[A-Za-z0-9._-]+$/.test(name) || !(Number(expires) > now)) return undefined;
    const want = Buffer.from(LocalFiles.sign(name, Number(expires)));
    const got = Buffer.from(sig);
    if (want.length !== got.length || !timingSafeEqual(want, got)) return undefined;
    return readFile(join(this.dir, name)).catch(() => undefined);
  }
}
