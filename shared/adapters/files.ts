/**
 * Where large exports' files lie (SPEC §9): an S3 bucket in AWS, fetched through a presigned link
 * that lapses after a few minutes; locally a directory under `.local/`, served by the local server
 * through a link signed the same way (`/files/<name>?expires=…&sig=…`).
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";

export const EXPORT_BUCKET_ENV = "EXPORT_BUCKET";
/** How long a link to an export's file works. */
export const LINK_SECONDS = 15 * 60;

export interface Files {
  put(name: string, body: string, contentType: string): Promise<void>;
  /** A short-lived link to the file. */
  link(name: string, now: Date): Promise<string>;
}

export class S3Files implements Files {
  private readonly s3 = new S3Client({});
  private readonly bucket: string;
  constructor(bucket: string) {
    this.bucket = bucket;
  }
  async put(name: string, body: string, contentType: string) {
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: name, Body: body, ContentType: contentType }));
  }
  link(name: string): Promise<string> {
    return getSignedUrl(this.s3, new GetObjectCommand({ Bucket: this.bucket, Key: name }), { expiresIn: LINK_SECONDS });
  }
}

/** The local runtime's files: a directory, and links the local server checks before it serves one. */
export class LocalFiles implements Files {
  private static readonly secret = randomBytes(32);
  private readonly dir: string;
  private readonly base: string;
  constructor(
    dir = process.env.EXPORT_DIR ?? join(process.cwd(), ".local", "exports"),
    base = process.env.FILES_URL ?? `http://localhost:${process.env.PORT ?? 3000}/files`,
  ) {
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

let files: Files | undefined;
export function filesFromEnv(): Files {
  const bucket = process.env[EXPORT_BUCKET_ENV];
  files ??= bucket ? new S3Files(bucket) : new LocalFiles();
  return files;
}
