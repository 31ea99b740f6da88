/**
 * The S3 operations the export files use. files.ts loads this module on the export path only, and
 * this module loads the S3 client and the presigner only when called: in a bundle, where the AWS SDK
 * is the Lambda runtime's (infra/function.ts), a static import here would be hoisted to the bundle's
 * start and load S3 in every cold start of a function that can run an export.
 */
export async function s3Bucket(bucket: string) {
  const [{ GetObjectCommand, PutObjectCommand, S3Client }, { getSignedUrl }] = await Promise.all([
    import("@aws-sdk/client-s3"),
    import("@aws-sdk/s3-request-presigner"),
  ]);
  const client = new S3Client({});
  return {
    put: async (name: string, body: string, contentType: string) => {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: name, Body: body, ContentType: contentType }));
    },
    link: (name: string, expiresIn: number) =>
      getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: name }), { expiresIn }),
  };
}
