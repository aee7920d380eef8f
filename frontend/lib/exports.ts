import { ApiError, request, type Schemas } from "./api";

export type ExportStatus = Schemas["ExportStatus"];

/** What asking for a plays export answered: locally the file itself; on AWS a pending export. */
export type ExportStarted = { kind: "file"; file: Blob; fileName: string } | { kind: "pending"; status: ExportStatus };

/** `attachment; filename="x.csv"` -> `x.csv` (the API's names need no decoding). */
function attachmentName(disposition: string | null, fallback: string): string {
  return /filename="([^"]+)"/.exec(disposition ?? "")?.[1] ?? fallback;
}

/**
 * Asks for a plays export at `url`. Locally the API answers the file (200); on AWS it answers
 * 202 with a status to poll (`getExportStatus`) until a link to the file is ready.
 */
export async function startPlaysExport(url: string): Promise<ExportStarted> {
  let response: Response;
  try {
    response = await fetch(url, { credentials: "same-origin", cache: "no-store" });
  } catch {
    throw new ApiError("Could not reach the Moodify API.", null);
  }
  if (response.status === 202) {
    return { kind: "pending", status: (await response.json()) as ExportStatus };
  }
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => null);
    const detail = typeof body === "object" && body !== null && "detail" in body ? body.detail : null;
    const message = typeof detail === "string" ? detail : `The export failed (${response.status}).`;
    throw new ApiError(message, response.status);
  }
  const fileName = attachmentName(response.headers.get("Content-Disposition"), url.split("/").pop() ?? "plays");
  return { kind: "file", file: await response.blob(), fileName };
}

/** An export's status; never cached, it changes while the export function writes the file. */
export function getExportStatus(statusUrl: string): Promise<ExportStatus> {
  return request(statusUrl, { cache: "no-store" });
}

/** Saves `file` as `fileName` through a temporary link, as a download would. */
export function saveFile(file: Blob, fileName: string): void {
  const href = URL.createObjectURL(file);
  const link = document.createElement("a");
  link.href = href;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // The click has handed the object to the download; released once it has started.
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}
