// The dashboard's side of the API contract, written from the API's OpenAPI document:
//   node scripts/generate-api.mjs <dir>
// reads <dir>/openapi.json (written by `python -m api.openapi`) and writes next to it
// api-types.ts (openapi-typescript's types) and upload-limits.ts (the limits the API states
// on ImportRequest). `make api-types` runs both steps; `make test` fails when the committed
// files differ from what they write.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import openapiTS, { astToString, COMMENT_HEADER } from "openapi-typescript";

const [dir] = process.argv.slice(2);
if (!dir) {
  console.error("usage: node scripts/generate-api.mjs <dir holding openapi.json>");
  process.exit(2);
}
const document = JSON.parse(await readFile(path.join(dir, "openapi.json"), "utf8"));

const types = COMMENT_HEADER + astToString(await openapiTS(document));
await writeFile(path.join(dir, "api-types.ts"), types);

const { file_name: fileName, size_bytes: sizeBytes } = document.components.schemas.ImportRequest.properties;
const maxBytes = sizeBytes.maximum;
const suffixes = fileName["x-accepted-suffixes"];
if (!Number.isSafeInteger(maxBytes) || !Array.isArray(suffixes) || suffixes.length === 0) {
  console.error("openapi.json: ImportRequest states no upload limits (size_bytes.maximum, file_name.x-accepted-suffixes)");
  process.exit(1);
}
const limits = `// Written by scripts/generate-api.mjs from openapi.json (\`make api-types\`): do not edit.

/** The largest file the API takes, in bytes (\`ImportRequest.size_bytes\`, its maximum). */
export const MAX_UPLOAD_BYTES = ${maxBytes};

/** The file names it takes end with one of these, in any case (\`ImportRequest.file_name\`). */
export const ACCEPTED_SUFFIXES = [${suffixes.map((suffix) => JSON.stringify(suffix)).join(", ")}] as const;
`;
await writeFile(path.join(dir, "upload-limits.ts"), limits);
