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

/** `perf.data` → `perf.data.folded`; never a path, only a name. */
export function foldedFileName(recordingName: string): string {
  const base = recordingName.replace(/[/\\]/g, '_') || 'recording';
  return `${base}.folded`;
}
