// Written by scripts/generate-api.mjs from openapi.json (`make api-types`): do not edit.

/** The largest file the API takes, in bytes (`ImportRequest.size_bytes`, its maximum). */
export const MAX_UPLOAD_BYTES = 2147483648;

/** The file names it takes end with one of these, in any case (`ImportRequest.file_name`). */
export const ACCEPTED_SUFFIXES = [".zip", ".json"] as const;
