/** One part of a multipart/form-data body. */
export interface MultipartPart {
  name: string;
  filename: string | undefined;
  contentType: string | undefined;
  data: Buffer;
}

/**
 * Minimal multipart/form-data parser for media uploads (providers.md §3.1). Returns undefined when
 * the content type has no boundary or the body is not well-formed.
 */
export function parseMultipart(body: Buffer, contentType: string | undefined): MultipartPart[] | undefined {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  const boundary = match?.[1] ?? match?.[2];
  if (!/^multipart\/form-data/i.test(contentType ?? '') || boundary === undefined) {
    return undefined;
  }
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let position = body.indexOf(delimiter);
  if (position < 0) {
    return undefined;
  }
  for (;;) {
    position += delimiter.length;
    if (body.subarray(position, position + 2).toString() === '--') {
      return parts;
    }
    // Skip the CRLF after the delimiter.
    position += 2;
    const headerEnd = body.indexOf('\r\n\r\n', position);
    const next = body.indexOf(delimiter, position);
    if (headerEnd < 0 || next < 0 || headerEnd > next) {
      return undefined;
    }
    const part = parsePart(body.subarray(position, headerEnd).toString('utf8'), body.subarray(headerEnd + 4, next - 2));
    if (part === undefined) {
      return undefined;
    }
    parts.push(part);
    position = next;
  }
}

function parsePart(headerText: string, data: Buffer): MultipartPart | undefined {
  let name: string | undefined;
  let filename: string | undefined;
  let contentType: string | undefined;
  for (const line of headerText.split('\r\n')) {
    const separator = line.indexOf(':');
    const key = line.slice(0, separator).trim().toLowerCase();
    const value = line.slice(separator + 1).trim();
    if (key === 'content-disposition') {
      name = /\bname="([^"]*)"/i.exec(value)?.[1];
      filename = /\bfilename="([^"]*)"/i.exec(value)?.[1];
    } else if (key === 'content-type') {
      contentType = value;
    }
  }
  return name === undefined ? undefined : { name, filename, contentType, data };
}
