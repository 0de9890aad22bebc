import type { ExportFormat } from '../../shared/contract';

/** Saves text as a download (the served mode's way of writing an export). */
export function saveDownload(parts: BlobPart[], fileName: string): void {
  const url = URL.createObjectURL(new Blob(parts, { type: 'text/plain;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the data once the click is handled; give it a moment anyway.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

const EXTENSIONS: Record<ExportFormat, string> = {
  folded: '.folded',
  pprof: '.pb.gz',
  speedscope: '.speedscope.json',
};

/** `perf.data` → `perf.data.folded` (`.pb.gz`, `.speedscope.json`); never a path, only a name. */
export function foldedFileName(recordingName: string, format: ExportFormat = 'folded'): string {
  const base = recordingName.replace(/[/\\]/g, '_') || 'recording';
  return `${base}${EXTENSIONS[format]}`;
}

/** The bytes of base64 text. */
export function base64Bytes(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
