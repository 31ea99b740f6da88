/**
 * A form's body as the web app reads it: URL-encoded fields, or a multipart form with a file (a
 * CSV uploaded to the import page). A file stays bytes, so its encoding (UTF-8 or Excel's
 * Windows-1252) is decided by what reads it; a body that cannot be read is no form at all (the
 * form-token check then refuses the request).
 */
export interface FormBody {
  form: URLSearchParams;
  /** Files by field name (a field left without a file is not here). */
  files: Map<string, Uint8Array>;
}

export async function formOf(contentType: string, bytes: Uint8Array): Promise<FormBody> {
  const files = new Map<string, Uint8Array>();
  if (/application\/x-www-form-urlencoded/i.test(contentType)) {
    return { form: new URLSearchParams(Buffer.from(bytes).toString("utf8")), files };
  }
  const form = new URLSearchParams();
  if (!/multipart\/form-data/i.test(contentType) || bytes.length === 0) return { form, files };
  try {
    // Node's own multipart reader (undici's Response.formData), given the bytes as they came.
    const data = await new Response(new Uint8Array(bytes), { headers: { "content-type": contentType } }).formData();
    const parts: [string, FormDataEntryValue][] = [];
    data.forEach((value, name) => {
      parts.push([name, value]);
    });
    for (const [name, value] of parts) {
      if (typeof value === "string") form.append(name, value);
      else if (value.size > 0) files.set(name, new Uint8Array(await value.arrayBuffer()));
    }
  } catch {
    return { form: new URLSearchParams(), files: new Map() };
  }
  return { form, files };
}
