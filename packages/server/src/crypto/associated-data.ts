/**
 * Builds the associated data of an AES-GCM seal from its parts, each prefixed by its byte length,
 * so that no two different lists encode alike: ("ab", "c") never authenticates as ("a", "bc").
 * The first part names the purpose and format ("carnet/file/v1"), so that bytes sealed for one
 * purpose never open as another.
 */
export function associatedData(...parts: readonly (string | number)[]): Buffer {
  const encoded = parts.map((part) => Buffer.from(String(part), 'utf8'));
  const out = Buffer.alloc(encoded.reduce((sum, part) => sum + 4 + part.length, 0));
  let offset = 0;
  for (const part of encoded) {
    offset = out.writeUInt32BE(part.length, offset);
    offset += part.copy(out, offset);
  }
  return out;
}
