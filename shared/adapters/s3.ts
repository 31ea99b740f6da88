/**
 * The S3 operations the export files use, imported by name so a bundle keeps only these; files.ts
 * loads this module on the export path only.
 */
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";

export function s3Bucket(bucket: string) {
  const client = new S3Client({});
  return {
    put: async (name: string, body: string, contentType: string) => {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: name, Body: body, ContentType: contentType }));
    },
    link: (name: string, expiresIn: number) =>
      getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: name }), { expiresIn }),
  };
}
